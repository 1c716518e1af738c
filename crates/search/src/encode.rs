//! The byte formats of the index, and their decoders (used by tests, and mirrored in
//! `assets/search.js`).
//!
//! Postings lists are sorted document numbers (the position of the cable in
//! [`archive_corpus::Corpus::cables`]). Two encodings:
//!
//! - **varint list**: the first number, then each difference to the previous one (always ≥ 1),
//!   as LEB128 varints (7 bits per byte, high bit = more bytes follow).
//! - **weighted list**: varint(count), the varint list, then the weights (1–15), two per byte:
//!   document `i`'s weight in the low nibble of byte `i / 2` when `i` is even, the high nibble
//!   when odd. Sixteen levels are plenty for a saturating BM25 factor, and half a byte per
//!   (term, document) pair is a fifth of the index.
//! - **bitset**: varint(index of the first non-zero byte), then one bit per document from there
//!   (bit `d % 8` of byte `d / 8`), leading and trailing zero bytes dropped. Chosen for unweighted lists when it is smaller, i.e. for dense lists
//!   such as `class:unclassified` or the tail of a very common word.
//!
//! Bytes travel inside JavaScript string literals as standard base64 (`A–Z a–z 0–9 + /`, with
//! `=` padding): 4/3 of the size, but safe in any script, and `atob` decodes it natively.

/// Appends `n` as an LEB128 varint.
pub fn put_varint(out: &mut Vec<u8>, mut n: u32) {
    while n >= 0x80 {
        out.push((n as u8) | 0x80);
        n >>= 7;
    }
    out.push(n as u8);
}

/// Reads a varint at `*pos`, advancing it. `None` on truncated or overlong input.
pub fn get_varint(bytes: &[u8], pos: &mut usize) -> Option<u32> {
    let mut n: u32 = 0;
    let mut shift = 0;
    loop {
        let b = *bytes.get(*pos)?;
        *pos += 1;
        if shift > 28 {
            return None;
        }
        n |= u32::from(b & 0x7f) << shift;
        if b & 0x80 == 0 {
            return Some(n);
        }
        shift += 7;
    }
}

/// Encodes sorted, distinct document numbers, each with its weight when `weights` is given.
pub fn varint_list(docs: &[u32], weights: Option<&[u8]>) -> Vec<u8> {
    let mut out = Vec::with_capacity(docs.len() * if weights.is_some() { 3 } else { 2 });
    let mut prev: Option<u32> = None;
    for (i, &d) in docs.iter().enumerate() {
        let delta = match prev {
            None => d,
            Some(p) => {
                debug_assert!(d > p, "postings must be sorted and distinct");
                d - p
            }
        };
        put_varint(&mut out, delta);
        if let Some(w) = weights {
            out.push(w[i]);
        }
        prev = Some(d);
    }
    out
}

/// [`varint_list`] of `docs` without weights, appended to `out`.
fn push_varint_list(docs: &[u32], out: &mut Vec<u8>) {
    let mut prev = 0;
    for (i, &d) in docs.iter().enumerate() {
        debug_assert!(i == 0 || d > prev, "postings must be sorted and distinct");
        put_varint(out, if i == 0 { d } else { d - prev });
        prev = d;
    }
}

/// Encodes a weighted list (see the module documentation); weights must be 1–15.
pub fn weighted_list(docs: &[u32], weights: &[u8]) -> Vec<u8> {
    if docs.is_empty() {
        return Vec::new();
    }
    // Three bytes a delta covers all but the sparsest lists (a delta up to 2^21): one
    // allocation where two bytes a document grew the list once or twice for most terms.
    let mut out = Vec::with_capacity(docs.len() * 3 + docs.len().div_ceil(2) + 5);
    put_varint(&mut out, docs.len() as u32);
    push_varint_list(docs, &mut out);
    for pair in weights.chunks(2) {
        debug_assert!(pair.iter().all(|&w| (1..=15).contains(&w)));
        out.push(pair[0] | pair.get(1).map_or(0, |w| w << 4));
    }
    out
}

/// Decodes [`weighted_list`].
pub fn decode_weighted_list(bytes: &[u8]) -> Option<(Vec<u32>, Vec<u8>)> {
    if bytes.is_empty() {
        return Some((Vec::new(), Vec::new()));
    }
    let mut pos = 0;
    let n = get_varint(bytes, &mut pos)? as usize;
    let weights_at = bytes.len().checked_sub(n.div_ceil(2))?;
    let (docs, _) = decode_varint_list(bytes.get(pos..weights_at)?, false)?;
    if docs.len() != n {
        return None;
    }
    let weights = (0..n)
        .map(|i| (bytes[weights_at + i / 2] >> (4 * (i % 2))) & 15)
        .collect();
    Some((docs, weights))
}

/// Decodes [`varint_list`]: document numbers and (when `weighted`) their weights.
pub fn decode_varint_list(bytes: &[u8], weighted: bool) -> Option<(Vec<u32>, Vec<u8>)> {
    let mut docs = Vec::new();
    let mut weights = Vec::new();
    let mut pos = 0;
    let mut prev: Option<u32> = None;
    while pos < bytes.len() {
        let delta = get_varint(bytes, &mut pos)?;
        let d = match prev {
            None => delta,
            Some(p) => p.checked_add(delta)?,
        };
        docs.push(d);
        if weighted {
            weights.push(*bytes.get(pos)?);
            pos += 1;
        }
        prev = Some(d);
    }
    Some((docs, weights))
}

/// Encodes sorted document numbers as a bitset (see the module documentation).
pub fn bitset(docs: &[u32]) -> Vec<u8> {
    let (Some(&first), Some(&last)) = (docs.first(), docs.last()) else {
        return vec![0];
    };
    let from = first / 8;
    let mut out = Vec::new();
    put_varint(&mut out, from);
    let skip = out.len();
    out.resize(skip + (last / 8 - from) as usize + 1, 0);
    for &d in docs {
        out[skip + (d / 8 - from) as usize] |= 1 << (d % 8);
    }
    out
}

fn bitset_len(docs: &[u32]) -> usize {
    match (docs.first(), docs.last()) {
        (Some(&f), Some(&l)) => (l / 8 - f / 8) as usize + 1 + varint_len(f / 8),
        _ => 1,
    }
}

fn varint_len(n: u32) -> usize {
    let mut v = Vec::new();
    put_varint(&mut v, n);
    v.len()
}

/// Decodes [`bitset`]; `None` when the start is malformed.
pub fn decode_bitset(bytes: &[u8]) -> Option<Vec<u32>> {
    let mut pos = 0;
    let from = get_varint(bytes, &mut pos)? as usize;
    let mut docs = Vec::new();
    for (i, &b) in bytes[pos..].iter().enumerate() {
        for bit in 0..8 {
            if b & (1 << bit) != 0 {
                docs.push(((from + i) * 8 + bit) as u32);
            }
        }
    }
    Some(docs)
}

/// An unweighted list in whichever of the two encodings is smaller: `(is_bitset, bytes)`.
pub fn unweighted(docs: &[u32]) -> (bool, Vec<u8>) {
    let bitset_len = bitset_len(docs);
    // A varint list takes at least one byte per document: only build it when it can win.
    if docs.len() < bitset_len {
        let list = varint_list(docs, None);
        if list.len() <= bitset_len {
            return (false, list);
        }
    }
    (true, bitset(docs))
}

/// Word positions as the page reads them: a byte `k`, then for each value (a document's first
/// position, or the difference to its previous one) its order-`k` exponential-Golomb code
/// (`n` zero bits, then `v + 2^k` in `n + k + 1` bits), then one bit that is 1 when another
/// position of the same document follows; bits from the high bit of each byte down, the last
/// byte padded with zeros. `k` is chosen per term as the cheapest: most values are a few hundred
/// (positions in a cable), which this codes in 10–12 bits where a varint takes 16, while the
/// odd huge one (the past-its-field position) still costs only about twice its bit length.
///
/// `varints` is the build's form (see [`crate::analyze::ChunkIndex`]): varints of
/// `value << 1 | more`.
pub fn positions_stream(varints: &[u8]) -> Vec<u8> {
    positions_stream_of(std::iter::once(varints))
}

/// [`positions_stream`] of the concatenation of `parts` (a term's pieces from each chunk),
/// read in place rather than copied together first.
pub fn positions_stream_of<'a>(parts: impl IntoIterator<Item = &'a [u8]>) -> Vec<u8> {
    thread_local! {
        /// The values of the term at hand, kept from term to term: growing a fresh vector part
        /// by part cost more (its copies, in `realloc`) than coding the values.
        static VALUES: std::cell::RefCell<Vec<u32>> = const { std::cell::RefCell::new(Vec::new()) };
    }
    VALUES.with(|values| {
        let mut values = values.borrow_mut();
        values.clear();
        let stream = positions_stream_in(parts, &mut values);
        if values.capacity() > 1 << 20 {
            // A very common word's: not kept for the rare ones after it.
            *values = Vec::new();
        }
        stream
    })
}

/// [`positions_stream_of`] with `values` (empty) as scratch.
fn positions_stream_in<'a>(
    parts: impl IntoIterator<Item = &'a [u8]>,
    values: &mut Vec<u32>,
) -> Vec<u8> {
    // Each value as `value << 1 | more`, as the chunks hold them.
    let mut sum = 0u64;
    for varints in parts {
        values.reserve(varints.len());
        let mut pos = 0;
        while pos < varints.len() {
            let b = varints[pos];
            let x = if b < 0x80 {
                pos += 1;
                u32::from(b)
            } else {
                get_varint(varints, &mut pos).expect("positions are well formed")
            };
            values.push(x);
            sum += u64::from(x >> 1);
        }
    }
    if values.is_empty() {
        return Vec::new();
    }
    let mean = sum / values.len() as u64;
    let guess = 63 - (mean + 1).leading_zeros();
    // The bits of the codes for each candidate `k` (`guess - 2 ..= guess + 1`, fewer when
    // `guess` is small), summed in one pass; the cheapest wins, the smallest on a tie. All four
    // sums are kept (a fixed-length loop), but only the first `candidates` compete.
    let low = guess.saturating_sub(2);
    let candidates = (guess + 2 - low) as usize;
    let mut totals = [0u64; 4];
    for &x in values.iter() {
        let v = u64::from(x >> 1);
        for (j, total) in totals.iter_mut().enumerate() {
            let k = low + j as u32;
            let len = 64 - (v + (1u64 << k)).leading_zeros();
            *total += u64::from(2 * len - k);
        }
    }
    let (k, total) = (0..candidates)
        .map(|j| (low + j as u32, totals[j]))
        .min_by_key(|&(k, total)| (total, k))
        .expect("at least two candidates");
    codes(values, k, 1 + (total as usize + values.len()) / 8 + 1)
}

/// The stream of [`positions_stream`] with order `k`: the byte `k`, then each value's code
/// (`values` as `value << 1 | more`); `capacity` bytes reserved.
fn codes(values: &[u32], k: u32, capacity: usize) -> Vec<u8> {
    let mut out = Vec::with_capacity(capacity);
    out.push(k as u8);
    // Bits go into `acc` from its low end; whenever 32 or more wait, the oldest 32 leave as
    // four bytes at once (a byte at a time was the slowest part of the positions): `used`
    // (< 32 between codes) bits wait. A code is `len - 1 - k` zeros then `w` (`len` bits) then
    // the `more` bit: the number `w << 1 | more` in `2 × len − k` bits, its zeros leading. A
    // code of more than 32 bits (at most 64: `w` < 2^32) goes in two parts, the high bits first.
    let mut acc: u64 = 0;
    let mut used = 0u32;
    let mut put = |value: u64, n: u32, out: &mut Vec<u8>| {
        debug_assert!(n <= 32 && value < 1u64 << n);
        acc = (acc << n) | value;
        used += n;
        if used >= 32 {
            used -= 32;
            out.extend_from_slice(&((acc >> used) as u32).to_be_bytes());
            acc &= (1u64 << used) - 1;
        }
    };
    for &x in values {
        let w = u64::from(x >> 1) + (1u64 << k);
        let len = 64 - w.leading_zeros();
        let code = (w << 1) | u64::from(x & 1);
        let n = 2 * len - k;
        if n <= 32 {
            put(code, n, &mut out);
        } else {
            put(code >> 32, n - 32, &mut out);
            put(code & 0xffff_ffff, 32, &mut out);
        }
    }
    while used >= 8 {
        used -= 8;
        out.push((acc >> used) as u8);
    }
    if used > 0 {
        out.push((acc << (8 - used)) as u8);
    }
    out
}

/// Decodes [`positions_stream`] for `docs` documents: each document's positions.
pub fn decode_positions_stream(bytes: &[u8], docs: usize) -> Option<Vec<Vec<u32>>> {
    let (&k, rest) = bytes.split_first()?;
    let mut bit = 0usize;
    let mut read = || -> Option<u64> {
        let b = rest.get(bit / 8)?;
        let v = (b >> (7 - bit % 8)) & 1;
        bit += 1;
        Some(u64::from(v))
    };
    let mut out = Vec::with_capacity(docs);
    for _ in 0..docs {
        let mut list = Vec::new();
        loop {
            let mut zeros = 0;
            while read()? == 0 {
                zeros += 1;
            }
            let mut w = 1u64;
            for _ in 0..zeros + u32::from(k) {
                w = (w << 1) | read()?;
            }
            let v = (w - (1u64 << k)) as u32;
            let p = list.last().map_or(v, |&last: &u32| last + v);
            list.push(p);
            if read()? == 0 {
                break;
            }
        }
        out.push(list);
    }
    Some(out)
}

const B64: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/// Standard base64 with padding, appended to `out`: straight into `out`, reserved once (no
/// buffer of its own per call: it runs for every dictionary entry and positions string). The
/// digits are made in a small stack buffer and appended a buffer at a time (a `char` at a time
/// cost a capacity check and a UTF-8 encoding per digit).
pub fn base64_into(bytes: &[u8], out: &mut String) {
    out.reserve(bytes.len().div_ceil(3) * 4);
    let digit = |n: u32| B64[n as usize & 63];
    const GROUP: usize = 3 * 64;
    let mut buf = [0u8; GROUP / 3 * 4];
    let mut groups = bytes.chunks_exact(GROUP);
    for group in &mut groups {
        for (chunk, to) in group.chunks_exact(3).zip(buf.chunks_exact_mut(4)) {
            let n = (u32::from(chunk[0]) << 16) | (u32::from(chunk[1]) << 8) | u32::from(chunk[2]);
            to.copy_from_slice(&[digit(n >> 18), digit(n >> 12), digit(n >> 6), digit(n)]);
        }
        out.push_str(std::str::from_utf8(&buf).expect("base64 digits are ASCII"));
    }
    let rest = groups.remainder();
    let whole = rest.chunks_exact(3);
    let last = whole.remainder();
    let mut at = 0;
    for chunk in whole {
        let n = (u32::from(chunk[0]) << 16) | (u32::from(chunk[1]) << 8) | u32::from(chunk[2]);
        buf[at..at + 4].copy_from_slice(&[digit(n >> 18), digit(n >> 12), digit(n >> 6), digit(n)]);
        at += 4;
    }
    if let Some(&first) = last.first() {
        let second = last.get(1).copied();
        let n = (u32::from(first) << 16) | (u32::from(second.unwrap_or(0)) << 8);
        let third = if second.is_some() {
            digit(n >> 6)
        } else {
            b'='
        };
        buf[at..at + 4].copy_from_slice(&[digit(n >> 18), digit(n >> 12), third, b'=']);
        at += 4;
    }
    out.push_str(std::str::from_utf8(&buf[..at]).expect("base64 digits are ASCII"));
}

/// Standard base64 with padding.
pub fn base64(bytes: &[u8]) -> String {
    let mut s = String::new();
    base64_into(bytes, &mut s);
    s
}

/// Decodes [`base64`]; `None` on a character outside the alphabet or a bad length.
pub fn decode_base64(text: &str) -> Option<Vec<u8>> {
    let t = text.as_bytes();
    if t.len() % 4 != 0 {
        return None;
    }
    let val = |c: u8| B64.iter().position(|&x| x == c).map(|v| v as u32);
    let mut out = Vec::with_capacity(t.len() / 4 * 3);
    for q in t.chunks(4) {
        let pad = q.iter().rev().take_while(|&&c| c == b'=').count();
        let mut n = 0u32;
        for &c in &q[..4 - pad] {
            n = (n << 6) | val(c)?;
        }
        n <<= 6 * pad as u32;
        let bytes = [(n >> 16) as u8, (n >> 8) as u8, n as u8];
        out.extend_from_slice(&bytes[..3 - pad]);
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn varint_lists_round_trip(mut docs in proptest::collection::vec(0u32..5_000_000, 0..300), w in any::<u8>()) {
            docs.sort_unstable();
            docs.dedup();
            let weights: Vec<u8> = docs.iter().map(|d| (*d as u8) ^ w).collect();
            let nibbles: Vec<u8> = weights.iter().map(|w| 1 + w % 15).collect();
            let bytes = weighted_list(&docs, &nibbles);
            prop_assert_eq!(decode_weighted_list(&bytes), Some((docs.clone(), nibbles)));
            let bytes = varint_list(&docs, Some(&weights));
            prop_assert_eq!(decode_varint_list(&bytes, true), Some((docs.clone(), weights)));
            let bytes = varint_list(&docs, None);
            prop_assert_eq!(decode_varint_list(&bytes, false), Some((docs.clone(), vec![])));
            let (is_bitset, bytes) = unweighted(&docs);
            let back = if is_bitset { decode_bitset(&bytes).unwrap() } else { decode_varint_list(&bytes, false).unwrap().0 };
            prop_assert_eq!(back, docs);
        }

        #[test]
        fn base64_round_trips(bytes in proptest::collection::vec(any::<u8>(), 0..700)) {
            prop_assert_eq!(decode_base64(&base64(&bytes)), Some(bytes));
        }
    }

    proptest! {
        #[test]
        fn positions_round_trip(docs in proptest::collection::vec(proptest::collection::btree_set(0u32..(1 << 30), 1..20), 0..40)) {
            let docs: Vec<Vec<u32>> = docs.into_iter().map(|s| s.into_iter().collect()).collect();
            let mut varints = Vec::new();
            for d in &docs {
                for (i, &p) in d.iter().enumerate() {
                    let v = if i == 0 { p } else { p - d[i - 1] };
                    put_varint(&mut varints, (v << 1) | u32::from(i + 1 < d.len()));
                }
            }
            let stream = positions_stream(&varints);
            prop_assert_eq!(decode_positions_stream(&stream, docs.len()).unwrap_or_default(), docs);
        }
    }

    #[test]
    fn codes_longer_than_56_bits_are_written_whole() {
        // The past-its-field position with `k` = 0 is a 62-bit code, written in two parts;
        // each code checked bit for bit against one written a bit at a time.
        let values = [1u32 << 31, 3, 1 << 31, 2 * 1000 + 1, 0, (1 << 31) | 1, 2];
        for k in [0, 1, 5, 6, 12, 31] {
            let mut bits: Vec<bool> = Vec::new();
            for &x in &values {
                let w = u64::from(x >> 1) + (1u64 << k);
                let len = 64 - w.leading_zeros();
                bits.extend(std::iter::repeat_n(false, (len - 1 - k) as usize));
                bits.extend((0..len).rev().map(|b| w >> b & 1 == 1));
                bits.push(x & 1 == 1);
            }
            let mut want = vec![k as u8];
            want.extend(bits.chunks(8).map(|byte| {
                byte.iter()
                    .enumerate()
                    .fold(0u8, |acc, (i, &b)| acc | (u8::from(b) << (7 - i)))
            }));
            assert_eq!(codes(&values, k, 0), want, "k = {k}");
        }
    }

    /// Base64 as it was first written, a digit at a time.
    fn base64_by_digits(bytes: &[u8]) -> String {
        let mut out = String::new();
        let digit = |n: u32| char::from(B64[n as usize & 63]);
        for chunk in bytes.chunks(3) {
            let b = |i: usize| u32::from(chunk.get(i).copied().unwrap_or(0));
            let n = (b(0) << 16) | (b(1) << 8) | b(2);
            out.push(digit(n >> 18));
            out.push(digit(n >> 12));
            out.push(if chunk.len() > 1 { digit(n >> 6) } else { '=' });
            out.push(if chunk.len() > 2 { digit(n) } else { '=' });
        }
        out
    }

    #[test]
    fn base64_is_the_digit_by_digit_one() {
        let bytes: Vec<u8> = (0..2000u32).map(|i| (i * 7919 % 251) as u8).collect();
        for len in 0..bytes.len() {
            let mut s = String::from("x");
            base64_into(&bytes[..len], &mut s);
            assert_eq!(s[1..], base64_by_digits(&bytes[..len]), "{len} bytes");
        }
    }

    #[test]
    fn base64_of_every_length() {
        assert_eq!(base64(b""), "");
        assert_eq!(base64(b"M"), "TQ==");
        assert_eq!(base64(b"Many"), "TWFueQ==");
        assert_eq!(base64(&[0xff, 0xfe, 0xfd, 0xfc, 0xfb]), "//79/Ps=");
    }

    #[test]
    fn known_values() {
        let mut v = Vec::new();
        put_varint(&mut v, 300);
        assert_eq!(v, [0xac, 0x02]);
        assert_eq!(base64(b"Man"), "TWFu");
        assert_eq!(base64(b"Ma"), "TWE=");
        assert_eq!(bitset(&[0, 9]), [0, 1, 2]);
        assert_eq!(bitset(&[800, 809]), [100, 1, 2]);
        assert_eq!(decode_bitset(&[100, 1, 2]), Some(vec![800, 809]));
        assert!(unweighted(&(0..1000).collect::<Vec<_>>()).0);
        assert!(!unweighted(&[5, 100_000]).0);
    }
}
