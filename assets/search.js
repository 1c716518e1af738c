/*
 * Client-side search for the cable archive: runs in the page, no server, works from file://.
 *
 * The index (written by `archive build`, see src/search/) is a folder of small scripts under
 * search/. Under file:// a page may not fetch() or XHR other files, but it may load scripts: each
 * index file calls one of the registration functions below (ArchiveSearch.meta/terms/postings/
 * docs), and load() adds a <script> element and waits for it. Only the files a query needs are
 * loaded: meta.js, the dictionary shard of each query word, a word's own postings file when it is
 * common, and the display data of the results shown.
 *
 * Query words go through elasticlunr.js's tokenizer, trimmer, stop-word filter and Porter stemmer
 * (assets/vendor/elasticlunr.min.js): the build ran elasticlunr-rs's identical pipeline, so the
 * terms match. Scores were precomputed at build time (BM25 term weights quantised to 4 bits); here
 * they are multiplied by each word's idf and added.
 *
 * The query language (parseQuery, documented on the search page) is parsed here, into groups of
 * alternatives that must all match, exclusions and a date range. Fields and dates are exact
 * because they are keys of the same dictionary (`-tag:prel`, `-year:2007`, `-month:2007-03`,
 * `-day:2007-03-22`): a date range is the union of the fewest whole years, months and days. No
 * silent fallback: when no cable has every part, the count says 0 and the closest matches are
 * shown as such, so the count always means the same thing.
 *
 * Plain ES2017 script, no modules, no eval, no inline styles: it runs under a
 * Content-Security-Policy of script-src 'self'.
 */
(function () {
  'use strict';

  var AS = (window.ArchiveSearch = window.ArchiveSearch || {});
  var PAGE_SIZE = 10;
  var DEBOUNCE_MS = 80;
  // The form's filters: four lists of keys, and two date inputs that are after: and before:.
  var FILTERS = ['class', 'year', 'origin', 'tag', 'after', 'before'];
  var SORTS = ['relevance', 'newest', 'oldest'];
  var MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  var SVG = 'http://www.w3.org/2000/svg';

  // ---- Loading index files through <script> elements ----------------------------------------

  var base = 'search/';
  var registered = {}; // url → data handed over by the script
  var loading = {}; // url → promise
  /** URLs of the index files loaded so far, in order (read by the browser test). */
  AS.loaded = [];

  function register(url, data) {
    registered[url] = data;
  }
  AS.meta = function (m) {
    register(base + 'meta.js', m);
  };
  AS.terms = function (n, entries) {
    register(base + 't/' + n + '.js', entries);
  };
  AS.postings = function (n, text) {
    register(base + 'p/' + n + '.js', text);
  };
  AS.docs = function (n, rows) {
    register(base + 'd/' + n + '.js', rows);
  };
  AS.positions = function (n, entries) {
    register(base + 'q/' + n + '.js', entries);
  };
  AS.positionsFile = function (n, text) {
    register(base + 'r/' + n + '.js', text);
  };

  function load(url) {
    if (loading[url]) return loading[url];
    loading[url] = new Promise(function (resolve, reject) {
      var s = document.createElement('script');
      s.src = url;
      s.async = true;
      s.onload = function () {
        if (url in registered) {
          AS.loaded.push(url);
          resolve(registered[url]);
        } else {
          reject(new Error('the index file ' + url + ' is not valid'));
        }
      };
      s.onerror = function () {
        delete loading[url];
        reject(new Error('could not load ' + url));
      };
      document.head.appendChild(s);
    });
    return loading[url];
  }

  // ---- Decoding (mirror of src/search/encode.rs) ---------------------------------------------

  function b64(text) {
    var bin = atob(text);
    var out = new Uint8Array(bin.length);
    for (var i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
    return out;
  }

  /** Varint at bytes[state.pos], advancing it. */
  function varint(bytes, state) {
    var n = 0;
    var shift = 0;
    var b;
    do {
      b = bytes[state.pos++];
      n += (b & 0x7f) * Math.pow(2, shift);
      shift += 7;
    } while (b & 0x80);
    return n;
  }

  /** Varint list (first number, then differences) from state.pos to end, each with `weight`. */
  function decodeList(bytes, state, end, docs, weights, weight) {
    var prev = -1;
    while (state.pos < end) {
      var n = varint(bytes, state);
      var d = prev < 0 ? n : prev + n;
      docs.push(d);
      weights.push(weight);
      prev = d;
    }
  }

  /** Weighted list: varint(count), varint list, then 4-bit weights two per byte. */
  function decodeWeighted(bytes, docs, weights) {
    if (!bytes.length) return;
    var state = { pos: 0 };
    var n = varint(bytes, state);
    var at = bytes.length - ((n + 1) >> 1);
    var start = docs.length;
    decodeList(bytes, state, at, docs, weights, 0);
    for (var i = 0; i < n; i++) weights[start + i] = (bytes[at + (i >> 1)] >> ((i & 1) * 4)) & 15;
  }

  /** Bitset: varint(first byte index), then one bit per document. */
  function decodeBitset(bytes, docs, weights, tailWeight) {
    var state = { pos: 0 };
    var from = varint(bytes, state);
    var pos = state.pos;
    for (var i = pos; i < bytes.length; i++) {
      var v = bytes[i];
      if (!v) continue;
      for (var bit = 0; bit < 8; bit++) {
        if (v & (1 << bit)) {
          docs.push((from + i - pos) * 8 + bit);
          weights.push(tailWeight);
        }
      }
    }
  }

  /** "head[ tail weight]" → {docs, weights}, sorted by document. */
  function decodePostings(text) {
    var f = text.split(' ');
    var docs = [];
    var weights = [];
    if (f[0]) decodeWeighted(b64(f[0]), docs, weights);
    if (f.length > 2) {
      var w = +f[2];
      var tail = b64(f[1].slice(1));
      var headDocs = docs;
      var headWeights = weights;
      var tailDocs = [];
      var tailWeights = [];
      if (f[1].charAt(0) === 'b') decodeBitset(tail, tailDocs, tailWeights, w);
      else decodeList(tail, { pos: 0 }, tail.length, tailDocs, tailWeights, w);
      if (!headDocs.length) return { docs: tailDocs, weights: tailWeights };
      // Merge the two sorted lists.
      docs = [];
      weights = [];
      var i = 0;
      var j = 0;
      while (i < headDocs.length || j < tailDocs.length) {
        if (j >= tailDocs.length || (i < headDocs.length && headDocs[i] < tailDocs[j])) {
          docs.push(headDocs[i]);
          weights.push(headWeights[i++]);
        } else {
          docs.push(tailDocs[j]);
          weights.push(tailWeights[j++]);
        }
      }
    }
    return { docs: docs, weights: weights };
  }

  // ---- Dictionary lookup ----------------------------------------------------------------------

  /** Compares strings in code point order (the build sorts by UTF-8 bytes, which is the same). */
  function cmp(a, b) {
    var n = Math.min(a.length, b.length);
    for (var i = 0; i < n; i++) {
      var x = a.charCodeAt(i);
      var y = b.charCodeAt(i);
      if (x !== y) {
        // Surrogates (U+D800–DFFF) stand for code points above U+FFFF: move them above U+E000–FFFF.
        if (x >= 0xd800 && y >= 0xd800) {
          x += x >= 0xe000 ? -0x800 : 0x2000;
          y += y >= 0xe000 ? -0x800 : 0x2000;
        }
        return x < y ? -1 : 1;
      }
    }
    return a.length - b.length;
  }

  var meta = null;
  var shardMaps = {}; // shard number → Map(term → postings text or "@P bytes")
  var shardIndex = {}; // shard number → Map(term → its index in the shard)
  var termCache = {}; // term → promise of postings or null

  function shardOf(term) {
    var bounds = meta.bounds;
    var lo = 0;
    var hi = bounds.length - 1;
    if (hi < 0 || cmp(term, bounds[0]) < 0) return -1;
    while (lo < hi) {
      var mid = (lo + hi + 1) >> 1;
      if (cmp(bounds[mid], term) <= 0) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  /** Dictionary shard n as a Map(term → postings text or "@P bytes"). */
  function shardMap(n) {
    return load(base + 't/' + n + '.js').then(function (entries) {
      var map = shardMaps[n];
      if (!map) {
        map = new Map();
        var index = new Map();
        for (var i = 0; i < entries.length; i++) {
          var e = entries[i];
          var sp = e.indexOf(' ');
          map.set(e.slice(0, sp), e.slice(sp + 1));
          index.set(e.slice(0, sp), i);
        }
        shardMaps[n] = map;
        shardIndex[n] = index;
      }
      return map;
    });
  }

  function lookup(term) {
    if (termCache[term]) return termCache[term];
    var n = shardOf(term);
    var p;
    if (n < 0) {
      p = Promise.resolve(null);
    } else {
      p = shardMap(n).then(function (map) {
        var rest = map.get(term);
        if (rest === undefined) return null;
        if (rest.charAt(0) === '@') {
          var number = rest.slice(1).split(' ')[0];
          return load(base + 'p/' + number + '.js').then(decodePostings);
        }
        return decodePostings(rest);
      });
    }
    termCache[term] = p;
    p.catch(function () {
      delete termCache[term];
    });
    return p;
  }

  var positionsCache = {}; // term → promise of its positions bytes (Uint8Array) or null

  /**
   * A term's word positions (crates/search/src/encode.rs, positions_stream): for each of its
   * documents in order, its positions. From the positions shard that matches its
   * dictionary shard, or the term's own file. Only phrases load them.
   */
  function positionsOf(term) {
    if (positionsCache[term]) return positionsCache[term];
    var n = shardOf(term);
    var p = n < 0 ? Promise.resolve(null) : shardMap(n).then(function () {
      var i = shardIndex[n].get(term);
      if (i === undefined) return null;
      return load(base + 'q/' + n + '.js').then(function (entries) {
        var e = entries[i];
        if (e.charAt(0) === '@') return load(base + 'r/' + e.slice(1) + '.js').then(b64);
        return b64(e);
      });
    });
    positionsCache[term] = p;
    p.catch(function () {
      delete positionsCache[term];
    });
    return p;
  }

  /** The positions of `docs` (the term's sorted document list) read from `bytes`, for the
   * documents marked in `want` (a Uint8Array by document): → Map(document → positions).
   * `bytes` is crates/search/src/encode.rs positions_stream: a byte k, then per value its
   * order-k exponential-Golomb code and a "more positions follow" bit, high bit first. */
  function positionsFor(docs, bytes, want) {
    var out = new Map();
    if (!bytes.length) return out;
    var k = bytes[0];
    var bit = 8;
    var end = bytes.length * 8;
    function read() {
      var b = (bytes[bit >> 3] >> (7 - (bit & 7))) & 1;
      bit++;
      return b;
    }
    // The next 32 bits from `bit` (zeros past the end); the top 25 are always whole.
    function peek() {
      var i = bit >> 3;
      return ((bytes[i] << 24) | (bytes[i + 1] << 16) | (bytes[i + 2] << 8) | bytes[i + 3]) << (bit & 7);
    }
    var pk = Math.pow(2, k);
    for (var d = 0; d < docs.length && bit < end; d++) {
      var keep = want[docs[d]];
      var list = keep ? [] : null;
      var p = 0;
      var first = true;
      do {
        // Unary part, then zeros + k bits: 25 bits at a time when they fit, else bit by bit.
        var zeros = Math.clz32(peek());
        if (zeros < 25) bit += zeros + 1;
        else {
          zeros = 0;
          while (read() === 0 && bit < end) zeros++;
        }
        var n = zeros + k;
        var w;
        if (n === 0) w = 1;
        else if (n <= 25) {
          w = Math.pow(2, n) + (peek() >>> (32 - n));
          bit += n;
        } else {
          w = 1;
          for (var i = 0; i < n; i++) w = w * 2 + read();
        }
        var v = w - pk;
        p = first ? v : p + v;
        first = false;
        if (keep) list.push(p);
      } while (read() === 1);
      if (keep) out.set(docs[d], list);
    }
    return out;
  }

  // ---- Query analysis ---------------------------------------------------------------------------

  var pipeline = new elasticlunr.Pipeline();
  pipeline.add(elasticlunr.trimmer, elasticlunr.stopWordFilter, elasticlunr.stemmer);

  /** Text → terms, as the index was built (elasticlunr tokenizer + pipeline). */
  function analyze(text) {
    return pipeline.run(elasticlunr.tokenizer(text));
  }
  AS.analyze = analyze;

  /** Text → {terms, offsets}: each term with its word number counted from the first term, the
   * dropped words (stop words) counted too, as the build numbers positions (Analyzer::
   * for_each_id_at): `bank of america` → bank at 0, america at 2. */
  function analyzePhrase(text) {
    var words = elasticlunr.tokenizer(text).filter(function (w) { return w.length > 0; });
    var terms = [];
    var offsets = [];
    var first = -1;
    for (var i = 0; i < words.length; i++) {
      var t = pipeline.run([words[i]]);
      if (!t.length) continue;
      if (first < 0) first = i;
      terms.push(t[0]);
      offsets.push(i - first);
    }
    return { terms: terms, offsets: offsets };
  }

  /** Lowercase slug of a filter value, as src/search/analyze.rs `slug` makes it. */
  function slug(text) {
    var out = '';
    var lower = text.toLowerCase();
    for (var i = 0; i < lower.length; i++) {
      var c = lower.charAt(i);
      if (/[0-9a-z]/.test(c) || (c > '\u007f' && c.toUpperCase() !== c.toLowerCase())) out += c;
      else if (out && out.charAt(out.length - 1) !== '-') out += '-';
    }
    return out.replace(/-+$/, '');
  }

  // ---- Query language ---------------------------------------------------------------------------
  //
  // One box, parsed here (documented on the search page): words AND by default; `a OR b`;
  // `-word` excludes; `"quoted words"`; `word*` a prefix; fields `tag:`, `origin:`/`from:`,
  // `class:`, `year:`, `id:` taking a word or a quoted phrase; `after:` and `before:` taking a
  // year, month or day. The parser never throws: a malformed query comes back as {error}.

  var FIELDS = { tag: 'tag', origin: 'origin', from: 'origin', class: 'class', year: 'year', id: 'id', after: 'after', before: 'before', subject: 'subject', signer: 'signer', to: 'to' };
  /** Word positions of the subject (crates/search/src/analyze.rs POS_SUBJECT … POS_TAGS). */
  var SUBJECT_POSITIONS = [4, 104];

  /** Lowercase, accents removed (NFD, combining marks dropped): `Tomás` → `tomas`. */
  function fold(text) {
    return text.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase();
  }
  AS.fold = fold;

  /** An identifier folded as the index has it: lowercase, no spaces, no leading zeros in the
   * serial (`07STATE 000123` → `07state123`). */
  function foldId(text) {
    return fold(text).replace(/\s+/g, '').replace(/^([0-9]{2}[a-z][a-z0-9_]*?[a-z_])0+([0-9])/, '$1$2');
  }

  /** `2007`, `2007-03` or `2007-03-22` → [first day, last day] as [y, m, d] arrays, or null. */
  function period(text) {
    var m = /^([0-9]{4})(?:-([0-9]{1,2})(?:-([0-9]{1,2}))?)?$/.exec(text);
    if (!m) return null;
    var y = +m[1];
    if (m[2] === undefined) return [[y, 1, 1], [y, 12, 31]];
    var mo = +m[2];
    if (mo < 1 || mo > 12) return null;
    var last = new Date(Date.UTC(y, mo, 0)).getUTCDate();
    if (m[3] === undefined) return [[y, mo, 1], [y, mo, last]];
    var d = +m[3];
    if (d < 1 || d > last) return null;
    return [[y, mo, d], [y, mo, d]];
  }

  function dayNumber(t) {
    return t[0] * 10000 + t[1] * 100 + t[2];
  }
  function pad(n) {
    return (n < 10 ? '0' : '') + n;
  }

  /** Splits the query text into tokens: words, quoted phrases, with their `-` and `field:`. */
  function tokens(q) {
    var out = [];
    var i = 0;
    while (i < q.length) {
      var c = q.charAt(i);
      if (/\s/.test(c)) {
        i++;
        continue;
      }
      var t = { neg: false, field: null, phrase: false, text: '', prefix: false };
      if (c === '-' && i + 1 < q.length && !/\s/.test(q.charAt(i + 1))) {
        t.neg = true;
        i++;
      }
      var fm = /^([A-Za-z]+):/.exec(q.slice(i));
      var after = fm ? q.charAt(i + fm[0].length) : '';
      if (fm && !FIELDS[fm[1].toLowerCase()] && (after === '' || /\s/.test(after))) {
        // A word that ends a phrase of a pasted subject (`MISSILE DEFENSE: A/S ROOD`), not a
        // field: the word itself.
        t.text = fm[1];
        i += fm[0].length;
        out.push(t);
        continue;
      }
      if (fm) {
        t.field = fm[1].toLowerCase();
        i += fm[0].length;
        if (i >= q.length || /\s/.test(q.charAt(i))) return { error: 'The field “' + fm[1] + ':” needs a value right after the colon, such as ' + fm[1] + ':prel.' };
      }
      if (q.charAt(i) === '"') {
        var end = q.indexOf('"', i + 1);
        if (end < 0) return { error: 'A quotation mark is not closed: add the closing " after the phrase.' };
        t.phrase = true;
        t.text = q.slice(i + 1, end).trim();
        i = end + 1;
        if (!t.text) return { error: 'The quotation marks hold no words.' };
      } else {
        var j = i;
        while (j < q.length && !/\s/.test(q.charAt(j)) && q.charAt(j) !== '"') j++;
        t.text = q.slice(i, j);
        i = j;
        if (t.text.length > 1 && t.text.charAt(t.text.length - 1) === '*') {
          t.prefix = true;
          t.text = t.text.slice(0, -1);
        }
      }
      out.push(t);
    }
    return { tokens: out };
  }

  /**
   * Query text + form filters → {groups: [[atom, …], …] (AND of ORs), not: [atom…], range,
   * words (terms to highlight)} or {error}. An atom is {kind: 'word'|'phrase'|'prefix'|'key',
   * terms or keys, label}.
   */
  function parseQuery(q, filters) {
    var tk = tokens(q);
    if (tk.error) return { error: tk.error };
    var groups = [];
    var not = [];
    var range = null;
    var words = [];
    var ignored = [];
    var pendingOr = false;
    var list = tk.tokens;
    for (var i = 0; i < list.length; i++) {
      var t = list[i];
      if (!t.neg && !t.field && !t.phrase && t.text === 'OR') {
        if (!groups.length || pendingOr || i === list.length - 1) return { error: '“OR” must stand between two words, as in: nuclear OR atomic.' };
        pendingOr = true;
        continue;
      }
      var atom;
      if (t.field) {
        var f = FIELDS[t.field];
        if (!f) return { error: 'Unknown field “' + t.field + ':”. Fields are subject:, tag:, origin: (or from:), class:, signer:, to:, year:, id:, after: and before:.' };
        if (f === 'after' || f === 'before') {
          if (t.neg || pendingOr) return { error: '“' + f + ':” cannot be excluded or joined with OR; use after: and before: together for a range.' };
          var p = period(t.text);
          if (!p) return { error: '“' + f + ':' + t.text + '” is not a date: write a year (2007), a month (2007-03) or a day (2007-03-22).' };
          range = range || { from: null, to: null };
          if (f === 'after') range.from = p[0];
          else range.to = p[1];
          continue;
        }
        if (f === 'subject' || f === 'signer' || f === 'to') {
          // Words of a field: each word's key (`-subject:missil`); a phrase of the subject is
          // matched on the subject's word positions, of the signer or addressees as all its words.
          var ph = analyzePhrase(fold(t.text));
          if (!ph.terms.length) return { error: 'The field “' + t.field + ':” needs a word that is not too common to search for.' };
          var shown = t.phrase ? '"' + ph.terms.join(' ') + '"' : ph.terms.join(' ');
          if (f === 'subject' && ph.terms.length > 1) atom = { kind: 'phrase', terms: ph.terms, offsets: ph.offsets, range: SUBJECT_POSITIONS, label: 'subject:' + shown };
          else atom = { kind: 'key', all: true, keys: ph.terms.map(function (w) { return '-' + f + ':' + w; }), label: f + ':' + shown + (ph.terms.length > 1 ? ' (all its words)' : '') };
          if (!t.neg && f === 'subject') words = words.concat(ph.terms);
        } else {
          var value = f === 'id' ? foldId(t.text) : slug(fold(t.text));
          if (!value) return { error: 'The field “' + t.field + ':” needs a value.' };
          atom = f === 'id' ? { kind: 'word', terms: [value], label: 'id:' + value } : { kind: 'key', keys: ['-' + f + ':' + value], label: f + ':' + value };
        }
      } else {
        var text = fold(t.text);
        var terms = analyze(text);
        if (t.prefix) {
          var pre = text.replace(/[^0-9a-z\u00c0-\uffff]/g, '');
          if (pre.length < 2) return { error: 'A prefix needs at least two letters before the *.' };
          atom = { kind: 'prefix', prefix: pre, stem: terms[0] || pre, label: pre + '*' };
        } else if (!terms.length) {
          ignored.push(t.text);
          if (pendingOr) return { error: '“' + t.text + '” is too common to search for, so it cannot stand in an OR.' };
          continue;
        } else if (t.phrase || terms.length > 1) {
          var phrase = analyzePhrase(text);
          atom = { kind: 'phrase', terms: phrase.terms, offsets: phrase.offsets, range: null, label: '"' + phrase.terms.join(' ') + '"' };
        } else {
          atom = { kind: 'word', terms: terms, label: terms[0] };
        }
        if (!t.neg) words = words.concat(atom.terms || [atom.stem]);
      }
      if (t.neg) {
        if (pendingOr) return { error: 'An excluded word cannot be part of an OR.' };
        not.push(atom);
      } else if (pendingOr) {
        groups[groups.length - 1].push(atom);
        pendingOr = false;
      } else {
        groups.push([atom]);
      }
    }
    var dateError = null;
    FILTERS.forEach(function (k) {
      if (!filters[k]) return;
      if (k === 'after' || k === 'before') {
        // A date input narrows what the box says, never widens it.
        var p = period(filters[k]);
        if (!p) {
          dateError = 'The date “' + filters[k] + '” is not a date: write a year (2007), a month (2007-03) or a day (2007-03-22).';
          return;
        }
        range = range || { from: null, to: null };
        if (k === 'after' && (!range.from || dayNumber(p[0]) > dayNumber(range.from))) range.from = p[0];
        if (k === 'before' && (!range.to || dayNumber(p[1]) < dayNumber(range.to))) range.to = p[1];
        return;
      }
      groups.push([{ kind: 'key', keys: ['-' + k + ':' + filters[k]], label: k + ':' + filters[k] }]);
    });
    if (dateError) return { error: dateError };
    if (range && range.from && range.to && dayNumber(range.from) > dayNumber(range.to)) return { error: 'The date range is empty: after: comes later than before:.' };
    if (!groups.length && !range && not.length) return { error: 'A query of exclusions alone finds nothing to exclude from: add a word, a field or a date.' };
    if (groups.length > 32) return { error: 'Too many words: use at most 32.' };
    return { groups: groups, not: not, range: range, words: words, ignored: ignored };
  }
  AS.parseQuery = function (q) {
    return parseQuery(q, {});
  };

  /** The query as understood, in words. */
  function understood(query) {
    var parts = [];
    query.groups.forEach(function (g) {
      parts.push(g.map(function (a) { return a.label; }).join(' OR '));
    });
    var s = parts.length ? 'all of: ' + parts.join(' · ') : '';
    if (query.not.length) s += (s ? '; ' : '') + 'none of: ' + query.not.map(function (a) { return a.label; }).join(', ');
    if (query.range) {
      var r = query.range;
      var d = function (t) { return t[0] + '-' + pad(t[1]) + '-' + pad(t[2]); };
      s += (s ? '; ' : '') + 'dated ' + (r.from ? 'from ' + d(r.from) : '') + (r.from && r.to ? ' ' : '') + (r.to ? 'to ' + d(r.to) : '') + ' inclusive';
    }
    if (query.ignored.length) s += '; ignored as too common: ' + query.ignored.join(', ');
    return s;
  }

  /** The filter keys whose union is the date range: whole years, whole months, single days. */
  function rangeKeys(range) {
    var lo = range.from ? dayNumber(range.from) : 0;
    var hi = range.to ? dayNumber(range.to) : 99999999;
    var keys = [];
    (meta.filters.year || []).forEach(function (yv) {
      var y = +yv[0];
      if (y * 10000 + 1231 < lo || y * 10000 + 101 > hi) return;
      if (lo <= y * 10000 + 101 && hi >= y * 10000 + 1231) {
        keys.push('-year:' + y);
        return;
      }
      for (var m = 1; m <= 12; m++) {
        var last = new Date(Date.UTC(y, m, 0)).getUTCDate();
        var first = y * 10000 + m * 100;
        if (first + last < lo || first + 1 > hi) continue;
        if (lo <= first + 1 && hi >= first + last) {
          keys.push('-month:' + y + '-' + pad(m));
          continue;
        }
        for (var d = 1; d <= last; d++) if (first + d >= lo && first + d <= hi) keys.push('-day:' + y + '-' + pad(m) + '-' + pad(d));
      }
    });
    return keys;
  }

  /** The terms of the dictionary starting with `prefix` (from every shard that may hold one). */
  function prefixTerms(prefix) {
    var from = Math.max(0, shardOf(prefix));
    var to = shardOf(prefix + '\uffff');
    if (to < 0) return Promise.resolve([]);
    var shards = [];
    for (var n = from; n <= to && shards.length < 8; n++) shards.push(n);
    return Promise.all(shards.map(shardMap)).then(function (maps) {
      var out = [];
      maps.forEach(function (map) {
        map.forEach(function (_, term) {
          if (term.charAt(0) !== '-' && term.lastIndexOf(prefix, 0) === 0 && out.length < 500) out.push(term);
        });
      });
      return out;
    });
  }

  // ---- Searching ----------------------------------------------------------------------------------

  var EMPTY = { docs: [], scores: [] };

  /** A term's list scored: each posting's weight × the term's idf. */
  function scored(list) {
    if (!list) return EMPTY;
    var n = meta.docs;
    var df = list.docs.length;
    var idf = Math.log(1 + (n - df + 0.5) / (df + 0.5));
    var s = new Array(df);
    for (var i = 0; i < df; i++) s[i] = idf * list.weights[i];
    return { docs: list.docs, scores: s };
  }

  /** Sorted lists → their union (scores added) or intersection (scores added). */
  function combine(lists, all) {
    if (!lists.length) return EMPTY;
    if (lists.length === 1) return lists[0];
    var acc = new Map();
    var count = new Map();
    lists.forEach(function (l) {
      for (var i = 0; i < l.docs.length; i++) {
        var d = l.docs[i];
        acc.set(d, (acc.get(d) || 0) + l.scores[i]);
        count.set(d, (count.get(d) || 0) + 1);
      }
    });
    var docs = [];
    acc.forEach(function (_, d) {
      if (!all || count.get(d) === lists.length) docs.push(d);
    });
    docs.sort(function (a, b) { return a - b; });
    return { docs: docs, scores: docs.map(function (d) { return acc.get(d); }) };
  }

  /** The union of the keys' lists (or their intersection when `all`), unscored. */
  function keysDocs(keys, all) {
    return Promise.all(keys.map(lookup)).then(function (ls) {
      if (all && ls.some(function (l) { return !l; })) return EMPTY;
      return combine(ls.filter(Boolean).map(function (l) { return { docs: l.docs, scores: l.docs.map(function () { return 0; }) }; }), !!all);
    });
  }

  /** Whether document d has the phrase: a position of its first term, and each other term at
   * its offset from there (within `range` when given). */
  function phraseAt(d, maps, atom) {
    var first = maps[0].get(d);
    if (!first) return false;
    var range = atom.range;
    for (var i = 0; i < first.length; i++) {
      var p = first[i];
      if (range && (p < range[0] || p + atom.offsets[atom.offsets.length - 1] >= range[1])) continue;
      var ok = true;
      for (var k = 1; k < maps.length && ok; k++) {
        var l = maps[k].get(d);
        ok = !!l && l.indexOf(p + atom.offsets[k]) >= 0;
      }
      if (ok) return true;
    }
    return false;
  }

  /** A phrase → the documents with all its words (scored as words), kept only where the words
   * stand at their offsets: read from the terms' positions, loaded for the purpose. */
  function phraseDocs(atom) {
    return Promise.all(atom.terms.map(lookup)).then(function (ls) {
      if (ls.some(function (l) { return !l; })) return EMPTY;
      var both = combine(ls.map(scored), true);
      if (atom.terms.length < 2 && !atom.range) return both;
      if (!both.docs.length) return both;
      var want = new Uint8Array(meta.docs);
      for (var i = 0; i < both.docs.length; i++) want[both.docs[i]] = 1;
      return Promise.all(atom.terms.map(positionsOf)).then(function (ps) {
        var maps = ps.map(function (bytes, k) { return bytes ? positionsFor(ls[k].docs, bytes, want) : new Map(); });
        var docs = [];
        var sc = [];
        for (var j = 0; j < both.docs.length; j++) {
          if (phraseAt(both.docs[j], maps, atom)) {
            docs.push(both.docs[j]);
            sc.push(both.scores[j]);
          }
        }
        return { docs: docs, scores: sc };
      });
    });
  }

  /** One atom → its scored documents. */
  function atomDocs(atom) {
    if (atom.kind === 'key') return keysDocs(atom.keys, atom.all);
    if (atom.kind === 'phrase') return phraseDocs(atom);
    if (atom.kind === 'prefix') {
      return prefixTerms(atom.prefix).then(function (terms) {
        if (atom.stem !== atom.prefix && terms.indexOf(atom.stem) < 0) terms.push(atom.stem);
        return Promise.all(terms.map(lookup)).then(function (ls) { return combine(ls.map(scored), false); });
      });
    }
    return Promise.all(atom.terms.map(lookup)).then(function (ls) { return combine(ls.map(scored), true); });
  }

  var scores = null;
  var hits = null;
  var excluded = null;
  var tiers = null; // by document: 2 its subject is the query's words, 1 it has them all, else 0

  /** The words of the query that rank by subject: those of its word and phrase parts. → {terms
   * (distinct), count (with repeats)}. */
  function subjectWords(query) {
    var all = [];
    query.groups.forEach(function (g) {
      if (g.length !== 1) return;
      var a = g[0];
      if ((a.kind === 'word' && a.label.lastIndexOf('id:', 0) !== 0) || a.kind === 'phrase') all = all.concat(a.terms);
    });
    var distinct = all.filter(function (t, i) { return all.indexOf(t) === i; });
    return { terms: distinct, count: all.length };
  }

  /** Orders of the results: best first (ties newest first), newest first, oldest first. Document
   * numbers follow the corpus, which is in date order. */
  function order(sort) {
    if (sort === 'newest') return function (a, b) { return b - a; };
    if (sort === 'oldest') return function (a, b) { return a - b; };
    return function (a, b) { return tiers[b] - tiers[a] || scores[b] - scores[a] || hits[b] - hits[a] || b - a; };
  }

  /**
   * Runs a parsed query: → {total (cables with every part), docs (the requested page), closest
   * (true when none has every part and the page shows those with the most parts)}.
   */
  function run(query, page, sort) {
    var n = meta.docs;
    if (!scores) {
      scores = new Float64Array(n);
      hits = new Uint8Array(n);
      excluded = new Uint8Array(n);
      tiers = new Uint8Array(n);
    }
    // The subject lists of the query's words (`-subject:w`, each cable's subject length as the
    // weight): a cable whose subject holds every word ranks above the others, and one whose
    // subject is exactly those words (as many terms, none other) above all.
    var sw = subjectWords(query);
    var subjectLists = Promise.all(sw.terms.map(function (t) { return lookup('-subject:' + t); }));
    var tLoad = performance.now();
    var groups = query.groups.map(function (g) {
      return Promise.all(g.map(atomDocs)).then(function (ls) { return combine(ls, false); });
    });
    if (query.range) groups.push(keysDocs(rangeKeys(query.range)));
    var nots = Promise.all(query.not.map(atomDocs));
    // Facets over the whole result set: the class and year keys' lists, counted against it.
    var facetKeys = [];
    ['class', 'year'].forEach(function (k) {
      (meta.filters[k] || []).forEach(function (v) {
        facetKeys.push([k, v[0], v[1]]);
      });
    });
    var facetLists = Promise.all(facetKeys.map(function (f) { return lookup('-' + f[0] + ':' + f[1]); }));
    return Promise.all([Promise.all(groups), nots, facetLists, subjectLists]).then(function (x) {
      var t0 = performance.now();
      tLoad = t0 - tLoad;
      var lists = x[0];
      var i, j, d;
      x[1].forEach(function (l) {
        for (j = 0; j < l.docs.length; j++) excluded[l.docs[j]] = 1;
      });
      var cands = [];
      if (!lists.length) {
        // Exclusions and nothing else cannot be parsed; a range alone is a list like any other.
        lists = [];
      }
      for (i = 0; i < lists.length; i++) {
        var l = lists[i];
        for (j = 0; j < l.docs.length; j++) {
          d = l.docs[j];
          if (excluded[d]) continue;
          if (hits[d] === 0) cands.push(d);
          hits[d]++;
          scores[d] += l.scores[j];
        }
      }
      var need = lists.length;
      var all = cands.filter(function (c) { return hits[c] === need; });
      var inSubject = new Map();
      var subjectLen = new Map();
      x[3].forEach(function (l) {
        if (!l) return;
        for (j = 0; j < l.docs.length; j++) {
          d = l.docs[j];
          if (hits[d] !== need) continue;
          inSubject.set(d, (inSubject.get(d) || 0) + 1);
          subjectLen.set(d, l.weights[j]);
        }
      });
      inSubject.forEach(function (k, doc) {
        if (k < sw.terms.length) return;
        tiers[doc] = subjectLen.get(doc) === Math.min(sw.count, 15) ? 2 : 1;
      });
      var closest = false;
      var shown = all;
      if (!all.length && need > 1) {
        closest = true;
        shown = cands;
      }
      shown.sort(order(closest ? 'relevance' : sort));
      var result = {
        total: all.length,
        closest: closest,
        closestTotal: closest ? cands.length : 0,
        docs: shown.slice(page * PAGE_SIZE, (page + 1) * PAGE_SIZE),
        parts: need
      };
      result.hits = result.docs.map(function (c) { return hits[c]; });
      result.all = closest ? [] : all;
      result.facets = { class: [], year: [] };
      x[2].forEach(function (fl, k) {
        var count = 0;
        if (fl && !closest) for (j = 0; j < fl.docs.length; j++) if (hits[fl.docs[j]] === need) count++;
        if (count) result.facets[facetKeys[k][0]].push([facetKeys[k][1], facetKeys[k][2], count]);
      });
      result.facets.class.sort(function (p, q) { return q[2] - p[2] || (p[0] < q[0] ? -1 : 1); });
      for (i = 0; i < cands.length; i++) {
        hits[cands[i]] = 0;
        scores[cands[i]] = 0;
        tiers[cands[i]] = 0;
      }
      x[1].forEach(function (l) {
        for (j = 0; j < l.docs.length; j++) excluded[l.docs[j]] = 0;
      });
      result.ms = performance.now() - t0;
      result.loadMs = tLoad;
      return result;
    });
  }

  /** How many of the documents `all` each key's list holds: → Promise of [count…]. */
  function countKeys(keys, all) {
    var mark = new Uint8Array(meta.docs);
    for (var i = 0; i < all.length; i++) mark[all[i]] = 1;
    return Promise.all(keys.map(lookup)).then(function (ls) {
      return ls.map(function (l) {
        var c = 0;
        if (l) for (var j = 0; j < l.docs.length; j++) c += mark[l.docs[j]];
        return c;
      });
    });
  }

  /** The results by month of `year` ([[YYYY-MM, label, count], …], the empty months too). */
  function monthFacet(year, all) {
    var keys = [];
    for (var m = 1; m <= 12; m++) keys.push('-month:' + year + '-' + pad(m));
    return countKeys(keys, all).then(function (counts) {
      return counts.map(function (c, i) { return [year + '-' + pad(i + 1), MONTHS[i] + ' ' + year, c]; });
    });
  }

  /** The results by origin and by tag (every value of meta.js, most first). Loads every origin
   * and tag list, so it runs only when asked. */
  function originTagFacets(all) {
    var out = {};
    return Promise.all(['origin', 'tag'].map(function (k) {
      var values = meta.filters[k] || [];
      return countKeys(values.map(function (v) { return '-' + k + ':' + v[0]; }), all).then(function (counts) {
        out[k] = values.map(function (v, i) { return [v[0], v[1], counts[i]]; }).filter(function (v) { return v[2] > 0; });
        out[k].sort(function (p, q) { return q[2] - p[2] || (p[0] < q[0] ? -1 : 1); });
      });
    })).then(function () { return out; });
  }

  function docRows(docs) {
    return Promise.all(
      docs.map(function (d) {
        var shard = Math.floor(d / meta.docShard);
        return load(base + 'd/' + shard + '.js').then(function (rows) {
          var r = rows[d - shard * meta.docShard];
          var id = r[0];
          var date = r[1];
          return {
            id: id,
            date: date,
            classification: r[2],
            origin: r[3],
            subject: r[4],
            snippet: r[5],
            page: r[6] || 'cable/' + date.slice(0, 4) + '/' + date.slice(5, 7) + '/' + id + '.html'
          };
        });
      })
    );
  }

  // ---- Page ------------------------------------------------------------------------------------

  var root = document.getElementById('search');
  if (!root) return;
  base = root.getAttribute('data-index') || base;
  var pageRoot = root.getAttribute('data-root') || '';
  var form = document.getElementById('search-form');
  var input = document.getElementById('search-q');
  var status = document.getElementById('search-status');
  var list = document.getElementById('search-results');
  var pager = document.getElementById('search-pages');
  var understoodBox = document.getElementById('search-understood');
  var facetBox = document.getElementById('search-facets');
  var sortSelect = document.getElementById('search-sort');
  var selects = {};
  FILTERS.forEach(function (k) {
    selects[k] = document.getElementById('search-' + k);
  });

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined) e.textContent = text;
    return e;
  }

  function say(text, isError) {
    status.textContent = text;
    status.className = 'search-status' + (isError ? ' search-error' : '');
  }

  /** Appends `text` to `parent`, marking the words whose term is one of `terms`. */
  function highlight(parent, text, terms) {
    var parts = text.split(/(\s+|-)/);
    for (var i = 0; i < parts.length; i++) {
      var part = parts[i];
      var t = i % 2 === 0 && part ? analyze(part) : [];
      if (t.length && terms.indexOf(t[0]) >= 0) {
        var m = /^(\W*)([\s\S]*?)(\W*)$/.exec(part);
        parent.appendChild(document.createTextNode(m[1]));
        parent.appendChild(el('mark', '', m[2]));
        parent.appendChild(document.createTextNode(m[3]));
      } else {
        parent.appendChild(document.createTextNode(part));
      }
    }
  }

  function state() {
    var p = new URLSearchParams(location.search);
    var s = { q: p.get('q') || '', page: Math.max(0, (parseInt(p.get('page'), 10) || 1) - 1), sort: SORTS.indexOf(p.get('sort')) > 0 ? p.get('sort') : 'relevance', filters: {} };
    FILTERS.forEach(function (k) {
      if (p.get(k)) s.filters[k] = p.get(k);
    });
    return s;
  }

  function setState(s) {
    var p = new URLSearchParams();
    if (s.q) p.set('q', s.q);
    FILTERS.forEach(function (k) {
      if (s.filters[k]) p.set(k, s.filters[k]);
    });
    if (s.sort && s.sort !== 'relevance') p.set('sort', s.sort);
    if (s.page > 0) p.set('page', String(s.page + 1));
    var qs = p.toString();
    var url = location.pathname + (qs ? '?' + qs : '');
    if (url !== location.pathname + location.search) history.replaceState(null, '', url);
  }

  function formState(page) {
    var s = { q: input.value.trim(), page: page || 0, sort: sortSelect ? sortSelect.value : 'relevance', filters: {} };
    FILTERS.forEach(function (k) {
      if (selects[k] && selects[k].value) s.filters[k] = selects[k].value;
    });
    return s;
  }

  function fillSelects() {
    FILTERS.forEach(function (k) {
      var sel = selects[k];
      if (!sel) return;
      (meta.filters[k] || []).forEach(function (v) {
        var o = el('option', '', v[1] + ' (' + v[2] + ')');
        o.value = v[0];
        sel.appendChild(o);
      });
    });
  }

  var generation = 0;
  var ID = /^[0-9]{2}[A-Za-z][A-Za-z0-9_]*[0-9]+$/;

  function search(s) {
    var g = ++generation;
    setState(s);
    var query;
    try {
      query = parseQuery(s.q, s.filters);
    } catch (e) {
      query = { error: 'The query could not be read (' + e.message + ').' };
    }
    if (query.error || (!query.groups.length && !query.range)) {
      list.textContent = '';
      pager.textContent = '';
      understoodBox.textContent = '';
      renderFacets(null);
      if (query.error) say(query.error, true);
      else say(s.q ? 'Those words are too common to search for; try others.' : 'Type words to search the cables.');
      AS.last = { seq: g, q: s.q, filters: s.filters, error: query.error || null, total: 0, ids: [] };
      root.setAttribute('data-state', 'done');
      return Promise.resolve();
    }
    var t0 = performance.now();
    say('Searching…');
    var tDocs;
    return run(query, s.page, s.sort)
      .then(function (r) {
        tDocs = performance.now();
        return docRows(r.docs).then(function (rows) {
          tDocs = performance.now() - tDocs;
          return { r: r, rows: rows };
        });
      })
      .then(function (x) {
        if (g !== generation) return;
        var r = x.r;
        var rows = x.rows;
        // An identifier jumps straight to its cable.
        if (ID.test(s.q) && rows.length && rows[0].id.toLowerCase() === s.q.toLowerCase() && !Object.keys(s.filters).length && s.jump) {
          location.replace(pageRoot + rows[0].page);
          return;
        }
        var tRender = performance.now();
        render(s, query, r, rows);
        tRender = performance.now() - tRender;
        // Timings for the tests and benchmarks: whole query, index loading, scoring, display
        // data loading, rendering.
        AS.last = { seq: g, q: s.q, filters: s.filters, ms: performance.now() - t0, sinceKey: performance.now() - lastKey, loadMs: r.loadMs, scoreMs: r.ms, docsMs: tDocs, renderMs: tRender, total: r.total, closest: r.closest, facets: r.facets, sort: s.sort, page: s.page, understood: understood(query), ids: rows.map(function (w) { return w.id; }) };
        root.setAttribute('data-state', 'done');
      })
      .catch(function (e) {
        if (g !== generation) return;
        say('Search failed: ' + e.message + '. The search index may be incomplete; rebuild the site.', true);
        root.setAttribute('data-state', 'error');
      });
  }

  /** Adds `field` to the box and searches again (a facet, a bar of the histogram). */
  function narrow(field) {
    input.value = (input.value.trim() + ' ' + field).trim();
    search(formState(0));
  }

  /** One line of facet buttons: `values` [[value, label, count]], the first `top` shown and the
   * others behind a "more" button; `field(value)` is what a click adds to the box. */
  function facetLine(name, values, top, field, key) {
    var line = el('p', 'search-facet');
    line.appendChild(el('span', 'search-facet-name', name + ': '));
    values.forEach(function (v, i) {
      var b = el('button', 'search-facet-value', v[1] + ' (' + v[2].toLocaleString('en') + ')');
      b.type = 'button';
      b.setAttribute('data-facet', key + ':' + v[0]);
      b.setAttribute('data-count', String(v[2]));
      if (i >= top) b.hidden = true;
      b.addEventListener('click', function () { narrow(field(v[0])); });
      line.appendChild(b);
    });
    if (values.length > top) {
      var more = el('button', 'search-facet-more', 'more (' + (values.length - top) + ')');
      more.type = 'button';
      more.addEventListener('click', function () {
        Array.prototype.forEach.call(line.querySelectorAll('.search-facet-value[hidden]'), function (b) { b.hidden = false; });
        more.remove();
      });
      line.appendChild(more);
    }
    return line;
  }

  /** A bar chart of `values` [[value, label, count]] (years, or the months of a year): an SVG
   * image whose text alternative lists every count; a click on a bar narrows like its button. */
  function histogram(title, values, field) {
    var max = values.reduce(function (m, v) { return Math.max(m, v[2]); }, 0);
    if (!max) return null;
    var fig = el('figure', 'search-histogram');
    var w = 12;
    var h = 60;
    var svg = document.createElementNS(SVG, 'svg');
    svg.setAttribute('viewBox', '0 0 ' + values.length * w + ' ' + (h + 1));
    svg.setAttribute('width', String(Math.min(600, values.length * 24)));
    svg.setAttribute('height', '64');
    svg.setAttribute('role', 'img');
    svg.setAttribute('aria-label', title + ': ' + values.map(function (v) { return v[1] + ' ' + v[2]; }).join(', '));
    values.forEach(function (v, i) {
      var bh = v[2] ? Math.max(1, Math.round((v[2] / max) * h)) : 0;
      var r = document.createElementNS(SVG, 'rect');
      r.setAttribute('x', String(i * w + 1));
      r.setAttribute('y', String(h - bh));
      r.setAttribute('width', String(w - 2));
      r.setAttribute('height', String(bh));
      r.setAttribute('class', 'search-bar');
      r.setAttribute('data-bar', v[0]);
      var t = document.createElementNS(SVG, 'title');
      t.textContent = v[1] + ': ' + v[2];
      r.appendChild(t);
      if (v[2]) r.addEventListener('click', function () { narrow(field(v[0])); });
      svg.appendChild(r);
    });
    fig.appendChild(svg);
    fig.appendChild(el('figcaption', 'search-histogram-caption', title + ', ' + values[0][1] + ' to ' + values[values.length - 1][1]));
    return fig;
  }

  /** Facet counts over the whole result set, as buttons that add their field to the box:
   * classification (most first, top ten), year (in order, with a histogram; by month when the
   * results are all of one year), and on request origin and tag (top ten, the rest behind
   * "more"). */
  function renderFacets(facets, all) {
    if (!facetBox) return;
    facetBox.textContent = '';
    if (!facets) return;
    if (facets.class.length) facetBox.appendChild(facetLine('By classification', facets.class, 10, function (v) { return 'class:' + v; }, 'class'));
    var years = facets.year;
    if (!years.length) return;
    // Every year from the first to the last, the empty ones too, so the chart reads as a time line.
    var filled = [];
    var byYear = new Map(years.map(function (v) { return [+v[0], v]; }));
    for (var y = +years[0][0]; y <= +years[years.length - 1][0]; y++) filled.push(byYear.get(y) || [String(y), String(y), 0]);
    var hist = histogram('Results by year', filled, function (v) { return 'year:' + v; });
    if (hist) facetBox.appendChild(hist);
    facetBox.appendChild(facetLine('By year', years, years.length, function (v) { return 'year:' + v; }, 'year'));
    var months = el('div', 'search-months');
    facetBox.appendChild(months);
    if (years.length === 1) {
      monthFacet(years[0][0], all).then(function (values) {
        var h = histogram('Results by month', values, function (v) { return 'after:' + v + ' before:' + v; });
        if (h) months.appendChild(h);
        months.appendChild(facetLine('By month', values.filter(function (v) { return v[2] > 0; }), 12, function (v) { return 'after:' + v + ' before:' + v; }, 'month'));
      });
    }
    var more = el('p', 'search-facet');
    var ask = el('button', 'search-facet-load', 'Count by origin and tag');
    ask.type = 'button';
    ask.id = 'search-origin-tag';
    more.appendChild(ask);
    facetBox.appendChild(more);
    ask.addEventListener('click', function () {
      ask.disabled = true;
      ask.textContent = 'Counting…';
      originTagFacets(all).then(function (f) {
        more.remove();
        facetBox.appendChild(facetLine('By origin', f.origin, 10, function (v) { return 'origin:' + v; }, 'origin'));
        facetBox.appendChild(facetLine('By tag', f.tag, 10, function (v) { return 'tag:' + v; }, 'tag'));
        if (AS.last) AS.last.facets.origin = f.origin;
        if (AS.last) AS.last.facets.tag = f.tag;
        facetBox.setAttribute('data-more', 'done');
      });
    });
  }

  function render(s, query, r, rows) {
    list.textContent = '';
    pager.textContent = '';
    var msg;
    if (r.total) msg = r.total.toLocaleString('en') + (r.total === 1 ? ' cable matches.' : ' cables match.');
    else if (r.closest && r.closestTotal) msg = 'No cable matches every part of the query. Below: the closest matches, ' + r.closestTotal.toLocaleString('en') + ' cables with some of the parts, most parts first.';
    else msg = 'No cable matches.';
    say(msg);
    understoodBox.textContent = 'Searched for ' + understood(query) + '.';
    renderFacets(r.facets, r.all);
    list.start = s.page * PAGE_SIZE + 1;
    rows.forEach(function (row) {
      var li = el('li', 'search-result');
      var a = el('a', 'search-title');
      a.href = pageRoot + row.page;
      highlight(a, row.subject || row.id, query.words);
      li.appendChild(a);
      var facts = el('p', 'search-facts');
      facts.appendChild(el('span', 'search-id', row.id));
      facts.appendChild(document.createTextNode(' · '));
      // A cable whose text gives no date is known to its year only (`2005-00-00`): show `2005`.
      facts.appendChild(el('time', 'search-date', row.date.slice(5) === '00-00' ? row.date.slice(0, 4) : row.date));
      facts.appendChild(document.createTextNode(' · '));
      facts.appendChild(el('span', 'search-class', row.classification));
      facts.appendChild(document.createTextNode(' · '));
      facts.appendChild(el('span', 'search-origin', row.origin));
      if (r.closest) facts.appendChild(document.createTextNode(' · closest match: ' + r.hits[rows.indexOf(row)] + ' of ' + r.parts + ' parts'));
      li.appendChild(facts);
      if (row.snippet) {
        var p = el('p', 'search-snippet');
        highlight(p, row.snippet, query.words);
        li.appendChild(p);
      }
      list.appendChild(li);
    });
    var pages = Math.ceil((r.closest ? r.closestTotal : r.total) / PAGE_SIZE);
    if (pages > 1) {
      var link = function (label, page) {
        var b = el('button', 'search-page', label);
        b.type = 'button';
        b.addEventListener('click', function () {
          var ns = formState(page);
          search(ns).then(function () {
            root.scrollIntoView();
          });
        });
        pager.appendChild(b);
      };
      if (s.page > 0) link('← Previous', s.page - 1);
      pager.appendChild(el('span', 'search-page-number', 'Page ' + (s.page + 1) + ' of ' + pages));
      if (s.page + 1 < pages) link('Next →', s.page + 1);
    }
  }

  var timer = null;
  var lastKey = 0;
  function later() {
    lastKey = performance.now();
    clearTimeout(timer);
    timer = setTimeout(function () {
      search(formState(0));
    }, DEBOUNCE_MS);
  }

  AS.search = function (q, filters, page, sort) {
    input.value = q;
    if (sortSelect) sortSelect.value = sort || 'relevance';
    FILTERS.forEach(function (k) {
      if (selects[k]) selects[k].value = (filters && filters[k]) || '';
    });
    return search(formState(page || 0));
  };

  root.setAttribute('data-state', 'loading');
  say('Loading the search index…');
  load(base + 'meta.js')
    .then(function (m) {
      if (m.version !== 2) throw new Error('the search index has an unknown format; rebuild the site');
      meta = m;
      fillSelects();
      var s = state();
      input.value = s.q;
      if (sortSelect) {
        sortSelect.value = s.sort;
        sortSelect.addEventListener('change', later);
      }
      FILTERS.forEach(function (k) {
        if (selects[k]) selects[k].value = s.filters[k] || '';
      });
      input.addEventListener('input', later);
      FILTERS.forEach(function (k) {
        if (selects[k]) selects[k].addEventListener('change', later);
      });
      form.addEventListener('submit', function (ev) {
        ev.preventDefault();
        clearTimeout(timer);
        var ns = formState(0);
        ns.jump = true;
        search(ns);
      });
      root.setAttribute('data-state', 'ready');
      s.jump = true;
      return search(s);
    })
    .catch(function (e) {
      say('The search index could not be loaded (' + e.message + '). Search works once the site is built with search enabled.', true);
      root.setAttribute('data-state', 'error');
    });
})();
