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
    if lean {
        facts_by_field(&corpus);
    }
}

/// The heap a lean corpus holds per field (capacities, not lengths: what the allocator gives),
/// in bytes a cable, so a cut can be aimed at the largest.
fn facts_by_field(corpus: &archive::corpus::Corpus) {
    use std::mem::size_of;
    let s = |t: &String| t.capacity();
    let o = |t: &Option<String>| t.as_ref().map_or(0, String::capacity);
    let mut fields: BTreeMap<&str, usize> = BTreeMap::new();
    for linked in &corpus.cables {
        let c = &linked.cable;
        let mut add = |name, bytes| *fields.entry(name).or_default() += bytes;
        add("id", c.id.0.capacity());
        add("origin", s(&c.origin));
        add("subject", s(&c.subject));
        add(
            "tags",
            c.tags.capacity() * size_of::<String>() + c.tags.iter().map(s).sum::<usize>(),
        );
        add(
            "references",
            c.references.capacity() * size_of::<archive::cable::Reference>()
                + c.references
                    .iter()
                    .map(|r| {
                        r.text.capacity()
                            + o(&r.label)
                            + r.id.as_ref().map_or(0, |i| i.0.capacity())
                    })
                    .sum::<usize>(),
        );
        add(
            "recipients",
            c.recipients.capacity() * size_of::<archive::cable::Recipient>()
                + c.recipients
                    .iter()
                    .map(|r| r.name.capacity() + r.text.capacity())
                    .sum::<usize>(),
        );
        add("sender", o(&c.sender));
        add("classified_by", o(&c.classified_by));
        add("declassification", o(&c.declassification));
        add("signer", o(&c.signer));
        add("source", c.source.capacity());
        add("page", linked.page.capacity());
        add(
            "resolved",
            linked.resolved.capacity() * size_of::<Option<usize>>(),
        );
        add("cited_by", linked.cited_by.capacity() * size_of::<usize>());
        add(
            "LinkedCable itself",
            size_of::<archive::corpus::LinkedCable>(),
        );
    }
    let n = corpus.cables.len().max(1);
    println!("heap of the facts, bytes a cable (capacities):");
    for (name, bytes) in fields {
        println!("  {name:20} {:6}", bytes / n);
    }
    println!(
        "  sources list        {:6}",
        corpus
            .sources
            .iter()
            .map(|s| size_of::<archive::corpus::SourceSummary>() + s.path.capacity())
            .sum::<usize>()
            / n
    );
}
