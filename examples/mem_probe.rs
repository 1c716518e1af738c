//! Where a loaded corpus's memory goes: live heap bytes and allocations (counted by a wrapping
//! allocator), resident memory, and the blocks by kind.
//!
//! `cargo run --release --example mem_probe -- bench-out/corpus-100000 [--lean]`
//!
//! `--lean` loads as a build does (`archive_corpus::load_lean`: telegrams let go once parsed),
//! so the live heap is what the build holds for the whole corpus: the facts alone.
//!
//! Used for issue 5's memory target: at 100,000 generated cables the corpus held 1,077 MB of
//! live heap for 657 MB of body text, 6.5 million allocations, with `Block` at 112 bytes
//! (1,026 MB once blocks held boxed strings, 88 bytes). The gap between live heap and resident
//! memory is the allocator's.

use std::alloc::{GlobalAlloc, Layout, System};
use std::collections::BTreeMap;
use std::sync::atomic::{AtomicIsize, Ordering};

/// The system allocator, counting live bytes and allocations.
struct Counting;

static LIVE_BYTES: AtomicIsize = AtomicIsize::new(0);
static LIVE_ALLOCATIONS: AtomicIsize = AtomicIsize::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        LIVE_BYTES.fetch_add(layout.size() as isize, Ordering::Relaxed);
        LIVE_ALLOCATIONS.fetch_add(1, Ordering::Relaxed);
        unsafe { System.alloc(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        LIVE_BYTES.fetch_sub(layout.size() as isize, Ordering::Relaxed);
        LIVE_ALLOCATIONS.fetch_sub(1, Ordering::Relaxed);
        unsafe { System.dealloc(ptr, layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        LIVE_BYTES.fetch_add(
            new_size as isize - layout.size() as isize,
            Ordering::Relaxed,
        );
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

fn main() {
    let Some(dir) = std::env::args().nth(1) else {
        eprintln!("usage: mem_probe CONTENT_DIR [--lean]");
        std::process::exit(2);
    };
    let lean = std::env::args().any(|a| a == "--lean");
    let corpus = if lean {
        let gazetteer = std::sync::Arc::new(archive::gazetteer::Gazetteer::builtin().clone());
        let dir = archive::corpus::cables_dir(std::path::Path::new(&dir));
        archive::corpus::link(archive::corpus::load_lean(
            &dir,
            archive::progress::Mode::Silent,
            gazetteer,
        ))
    } else {
        archive::corpus::read(std::path::Path::new(&dir))
    };
    let live = LIVE_BYTES.load(Ordering::Relaxed);
    let allocations = LIVE_ALLOCATIONS.load(Ordering::Relaxed);
    let mut text = 0usize;
    let mut kinds: BTreeMap<String, usize> = BTreeMap::new();
    for linked in &corpus.cables {
        for block in &linked.cable.body {
            text += block.text.len();
            *kinds.entry(format!("{:?}", block.kind)).or_default() += 1;
        }
    }
    println!(
        "{} cables, {} blocks, {} MB of body text",
        corpus.cables.len(),
        kinds.values().sum::<usize>(),
        text / 1_000_000
    );
    println!(
        "live heap {} MB ({} B a cable) in {allocations} allocations; resident {:.0} MB",
        live / 1_000_000,
        live as usize / corpus.cables.len().max(1),
        archive_dev::procstat::resident_mb()
    );
    println!(
        "size of Block {} B, Cable {} B, LinkedCable {} B",
        std::mem::size_of::<archive::cable::Block>(),
        std::mem::size_of::<archive::cable::Cable>(),
        std::mem::size_of::<archive::corpus::LinkedCable>()
    );
    println!("blocks by kind: {kinds:?}");
}
