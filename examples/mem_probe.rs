use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicIsize, AtomicUsize, Ordering};
struct Counting;
static LIVE: AtomicIsize = AtomicIsize::new(0);
static COUNT: AtomicIsize = AtomicIsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, l: Layout) -> *mut u8 {
        let n = LIVE.fetch_add(l.size() as isize, Ordering::Relaxed) + l.size() as isize;
        COUNT.fetch_add(1, Ordering::Relaxed);
        PEAK.fetch_max(n as usize, Ordering::Relaxed);
        unsafe { System.alloc(l) }
    }
    unsafe fn dealloc(&self, p: *mut u8, l: Layout) {
        LIVE.fetch_sub(l.size() as isize, Ordering::Relaxed);
        COUNT.fetch_sub(1, Ordering::Relaxed);
        unsafe { System.dealloc(p, l) }
    }
    unsafe fn realloc(&self, p: *mut u8, l: Layout, n: usize) -> *mut u8 {
        let d = n as isize - l.size() as isize;
        let v = LIVE.fetch_add(d, Ordering::Relaxed) + d;
        PEAK.fetch_max(v as usize, Ordering::Relaxed);
        unsafe { System.realloc(p, l, n) }
    }
}
#[global_allocator]
static A: Counting = Counting;
fn rss() -> String {
    std::fs::read_to_string("/proc/self/status")
        .unwrap()
        .lines()
        .find(|l| l.starts_with("VmRSS"))
        .unwrap()
        .to_string()
}
fn main() {
    let dir = std::env::args().nth(1).unwrap();
    let corpus = archive::corpus::read(std::path::Path::new(&dir));
    let live = LIVE.load(Ordering::Relaxed);
    let text: usize = corpus
        .cables
        .iter()
        .map(|c| c.cable.body.iter().map(|b| b.text.len()).sum::<usize>())
        .sum();
    let blocks: usize = corpus.cables.iter().map(|c| c.cable.body.len()).sum();
    let mentions: usize = corpus
        .cables
        .iter()
        .map(|c| c.cable.body.iter().map(|b| b.mentions.len()).sum::<usize>())
        .sum();
    println!(
        "cables {} blocks {} mentions {} body text {} MB",
        corpus.cables.len(),
        blocks,
        mentions,
        text / 1_000_000
    );
    println!(
        "live heap {} MB in {} allocations, peak {} MB; {}",
        live / 1_000_000,
        COUNT.load(Ordering::Relaxed),
        PEAK.load(Ordering::Relaxed) / 1_000_000,
        rss()
    );
    kinds(&corpus);
    println!(
        "size_of Block {} Cable {} LinkedCable {}",
        std::mem::size_of::<archive::cable::Block>(),
        std::mem::size_of::<archive::cable::Cable>(),
        std::mem::size_of::<archive::corpus::LinkedCable>()
    );
}
#[allow(dead_code)]
fn kinds(corpus: &archive::corpus::Corpus) {
    let mut m = std::collections::BTreeMap::new();
    for c in &corpus.cables {
        for b in &c.cable.body {
            *m.entry(format!("{:?}", b.kind)).or_insert(0usize) += 1;
        }
    }
    println!("{m:?}");
}
