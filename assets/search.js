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
 * they are multiplied by each word's idf and added. Documents with all the words come first.
 *
 * Plain ES2017 script, no modules, no eval, no inline styles: it runs under a
 * Content-Security-Policy of script-src 'self'.
 */
(function () {
  'use strict';

  var AS = (window.ArchiveSearch = window.ArchiveSearch || {});
  var PAGE_SIZE = 10;
  var DEBOUNCE_MS = 80;
  var FILTERS = ['class', 'year', 'origin', 'tag'];

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

  function lookup(term) {
    if (termCache[term]) return termCache[term];
    var n = shardOf(term);
    var p;
    if (n < 0) {
      p = Promise.resolve(null);
    } else {
      p = load(base + 't/' + n + '.js').then(function (entries) {
        var map = shardMaps[n];
        if (!map) {
          map = new Map();
          for (var i = 0; i < entries.length; i++) {
            var e = entries[i];
            var sp = e.indexOf(' ');
            map.set(e.slice(0, sp), e.slice(sp + 1));
          }
          shardMaps[n] = map;
        }
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

  // ---- Query analysis ---------------------------------------------------------------------------

  var pipeline = new elasticlunr.Pipeline();
  pipeline.add(elasticlunr.trimmer, elasticlunr.stopWordFilter, elasticlunr.stemmer);

  /** Text → terms, as the index was built (elasticlunr tokenizer + pipeline). */
  function analyze(text) {
    return pipeline.run(elasticlunr.tokenizer(text));
  }
  AS.analyze = analyze;

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

  /** Splits "words class:secret tag:prel" into words and filters. */
  function parseQuery(q, filters) {
    var words = [];
    var f = {};
    FILTERS.forEach(function (k) {
      if (filters[k]) f[k] = filters[k];
    });
    q.split(/\s+/).forEach(function (w) {
      var m = /^(class|year|origin|tag):(.+)$/i.exec(w);
      if (m) f[m[1].toLowerCase()] = slug(m[2]);
      else if (w) words.push(w);
    });
    var text = words.join(' ');
    var terms = [];
    analyze(text).forEach(function (t) {
      if (terms.indexOf(t) < 0) terms.push(t);
    });
    // Match counts are bytes (Uint8Array): keep queries well under 255 words.
    return { text: text, terms: terms.slice(0, 32), filters: f };
  }

  // ---- Searching ----------------------------------------------------------------------------------

  /** Keeps the best k of (hits, score, doc): more words matched, then higher score, then newer. */
  function better(h1, s1, d1, h2, s2, d2) {
    if (h1 !== h2) return h1 > h2;
    if (s1 !== s2) return s1 > s2;
    return d1 > d2;
  }

  function topK(cands, hits, scores, k) {
    var heap = []; // min-heap of the best k, worst at the root
    function worse(a, b) {
      return better(hits[b], scores[b], b, hits[a], scores[a], a);
    }
    function down(i) {
      for (;;) {
        var l = 2 * i + 1;
        var r = l + 1;
        var m = i;
        if (l < heap.length && worse(heap[l], heap[m])) m = l;
        if (r < heap.length && worse(heap[r], heap[m])) m = r;
        if (m === i) return;
        var t = heap[i];
        heap[i] = heap[m];
        heap[m] = t;
        i = m;
      }
    }
    for (var c = 0; c < cands.length; c++) {
      var d = cands[c];
      if (heap.length < k) {
        heap.push(d);
        for (var i = heap.length - 1; i > 0; ) {
          var p = (i - 1) >> 1;
          if (!worse(heap[i], heap[p])) break;
          var t = heap[i];
          heap[i] = heap[p];
          heap[p] = t;
          i = p;
        }
      } else if (k > 0 && worse(heap[0], d)) {
        heap[0] = d;
        down(0);
      }
    }
    return heap.sort(function (a, b) {
      return better(hits[a], scores[a], a, hits[b], scores[b], b) ? -1 : 1;
    });
  }

  var scores = null;
  var hits = null;
  var allowed = null;

  /**
   * Runs a query: {terms, filters} → {total, docs (the requested page), exact (all words
   * matched), missing (words not in the index)}.
   */
  function run(query, page) {
    var n = meta.docs;
    if (!scores) {
      scores = new Float64Array(n);
      hits = new Uint8Array(n);
      allowed = new Uint8Array(n);
    }
    var filterKeys = Object.keys(query.filters).map(function (k) {
      return '-' + k + ':' + query.filters[k];
    });
    var wanted = query.terms.concat(filterKeys);
    var tLoad = performance.now();
    return Promise.all(wanted.map(lookup)).then(function (lists) {
      var t0 = performance.now();
      tLoad = t0 - tLoad;
      var termLists = lists.slice(0, query.terms.length);
      var filterLists = lists.slice(query.terms.length);
      var i, j, d;
      // Filters: documents in every filter's set.
      var filtered = filterLists.length > 0;
      if (filtered) {
        allowed.fill(0);
        for (i = 0; i < filterLists.length; i++) {
          var fl = filterLists[i];
          if (!fl) {
            allowed.fill(0);
            break;
          }
          for (j = 0; j < fl.docs.length; j++) {
            d = fl.docs[j];
            if (allowed[d] === i) allowed[d] = i + 1;
          }
        }
      }
      var need = filterLists.length;
      var cands = [];
      if (query.terms.length === 0) {
        // Filters alone: every allowed document, newest first.
        for (d = n - 1; d >= 0; d--) if (allowed[d] === need) cands.push(d);
        var total = cands.length;
        return {
          total: total,
          exact: true,
          docs: cands.slice(page * PAGE_SIZE, (page + 1) * PAGE_SIZE),
          ms: performance.now() - t0,
          loadMs: tLoad,
          missing: []
        };
      }
      var missing = [];
      for (i = 0; i < termLists.length; i++) {
        var list = termLists[i];
        if (!list) {
          missing.push(query.terms[i]);
          continue;
        }
        var df = list.docs.length;
        var idf = Math.log(1 + (n - df + 0.5) / (df + 0.5));
        for (j = 0; j < df; j++) {
          d = list.docs[j];
          if (filtered && allowed[d] !== need) continue;
          if (hits[d] === 0) cands.push(d);
          hits[d]++;
          scores[d] += idf * list.weights[j];
        }
      }
      var best = topK(cands, hits, scores, (page + 1) * PAGE_SIZE);
      var exact = 0;
      for (i = 0; i < cands.length; i++) if (hits[cands[i]] === query.terms.length) exact++;
      var result = {
        total: exact || cands.length,
        exact: exact > 0,
        docs: best.slice(page * PAGE_SIZE),
        missing: missing
      };
      if (exact) {
        result.docs = result.docs.filter(function (x) {
          return hits[x] === query.terms.length;
        });
      }
      for (i = 0; i < cands.length; i++) {
        hits[cands[i]] = 0;
        scores[cands[i]] = 0;
      }
      result.ms = performance.now() - t0;
      result.loadMs = tLoad;
      return result;
    });
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
    var s = { q: p.get('q') || '', page: Math.max(0, (parseInt(p.get('page'), 10) || 1) - 1), filters: {} };
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
    if (s.page > 0) p.set('page', String(s.page + 1));
    var qs = p.toString();
    var url = location.pathname + (qs ? '?' + qs : '');
    if (url !== location.pathname + location.search) history.replaceState(null, '', url);
  }

  function formState(page) {
    var s = { q: input.value.trim(), page: page || 0, filters: {} };
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
    var query = parseQuery(s.q, s.filters);
    if (!query.terms.length && !Object.keys(query.filters).length) {
      list.textContent = '';
      pager.textContent = '';
      say(s.q ? 'Those words are too common to search for; try others.' : 'Type words to search the cables.');
      return Promise.resolve();
    }
    var t0 = performance.now();
    say('Searching…');
    var tDocs;
    return run(query, s.page)
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
        if (ID.test(s.q) && rows.length && rows[0].id.toLowerCase() === s.q.toLowerCase() && !Object.keys(query.filters).length && s.jump) {
          location.replace(pageRoot + rows[0].page);
          return;
        }
        var tRender = performance.now();
        render(s, query, r, rows);
        tRender = performance.now() - tRender;
        // Timings for the tests and benchmarks: whole query, index loading, scoring, display
        // data loading, rendering.
        AS.last = { seq: g, q: s.q, filters: s.filters, ms: performance.now() - t0, sinceKey: performance.now() - lastKey, loadMs: r.loadMs, scoreMs: r.ms, docsMs: tDocs, renderMs: tRender, total: r.total, ids: rows.map(function (w) { return w.id; }) };
        root.setAttribute('data-state', 'done');
      })
      .catch(function (e) {
        if (g !== generation) return;
        say('Search failed: ' + e.message + '. The search index may be incomplete; rebuild the site.', true);
        root.setAttribute('data-state', 'error');
      });
  }

  function render(s, query, r, rows) {
    list.textContent = '';
    pager.textContent = '';
    var msg;
    if (!r.total) msg = 'No cable matches.';
    else if (r.exact) msg = r.total + (r.total === 1 ? ' cable matches.' : ' cables match.');
    else msg = 'No cable has all the words; ' + r.total + ' cables have some of them.';
    if (r.missing.length && r.total) msg += ' Not found anywhere: ' + r.missing.join(', ') + '.';
    say(msg);
    list.start = s.page * PAGE_SIZE + 1;
    rows.forEach(function (row) {
      var li = el('li', 'search-result');
      var a = el('a', 'search-title');
      a.href = pageRoot + row.page;
      highlight(a, row.subject || row.id, query.terms);
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
      li.appendChild(facts);
      if (row.snippet) {
        var p = el('p', 'search-snippet');
        highlight(p, row.snippet, query.terms);
        li.appendChild(p);
      }
      list.appendChild(li);
    });
    var pages = Math.ceil(r.total / PAGE_SIZE);
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

  AS.search = function (q, filters, page) {
    input.value = q;
    FILTERS.forEach(function (k) {
      if (selects[k]) selects[k].value = (filters && filters[k]) || '';
    });
    return search(formState(page || 0));
  };

  root.setAttribute('data-state', 'loading');
  say('Loading the search index…');
  load(base + 'meta.js')
    .then(function (m) {
      if (m.version !== 1) throw new Error('the search index has an unknown format; rebuild the site');
      meta = m;
      fillSelects();
      var s = state();
      input.value = s.q;
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
