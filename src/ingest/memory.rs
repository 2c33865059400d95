//! Fallible memory for inputs. A wasm32 instance can address at most 4 GiB and aborts on a failed allocation,
//! so every large allocation driven by input size is reserved fallibly first and reported as `OUT_OF_MEMORY`
//! with the sizes involved and what to do.

use std::collections::HashSet;

use arrow_array::{make_array, Array, ArrayRef};
use arrow_buffer::Buffer;

use crate::error::{Error, ErrorCode, Result};

/// Bytes of the distinct allocations behind `arrays`. Arrays decoded zero-copy from one IPC message all slice
/// the same allocation (and dictionaries are shared between batches), so summing each array's own report
/// (`get_array_memory_size`) counts the shared bytes once per array: 5–45× too much (issue 14). Each allocation
/// is counted once, at its capacity.
pub fn distinct_buffer_bytes<'a>(arrays: impl Iterator<Item = &'a ArrayRef>) -> usize {
    let mut seen = HashSet::new();
    let mut total = 0;
    let mut add = |buffer: &Buffer| {
        if seen.insert(buffer.data_ptr().as_ptr() as usize) {
            total += buffer.capacity();
        }
    };
    for array in arrays {
        visit(array.as_ref(), &mut add);
    }
    total
}

/// Every buffer of `data` and its children (depth bounded by the supported types: dictionaries of flat values).
fn visit(array: &dyn Array, add: &mut impl FnMut(&Buffer)) {
    let data = array.to_data();
    data.buffers().iter().for_each(&mut *add);
    if let Some(nulls) = data.nulls() {
        add(nulls.buffer());
    }
    for child in data.child_data() {
        visit(make_array(child.clone()).as_ref(), add);
    }
}

/// A buffer of exactly `len` bytes for an input, or `OUT_OF_MEMORY`. Its contents are zeroed lazily by the
/// allocator only where needed: the caller overwrites every byte.
pub fn reserve_input(len: usize) -> Result<Vec<u8>> {
    let mut bytes = Vec::new();
    bytes.try_reserve_exact(len).map_err(|_| out_of_memory(len as u64, "to hold the input"))?;
    Ok(bytes)
}

/// Check that `extra` more bytes can be allocated (e.g. for LZ4-decompressed buffers) before decoding starts.
/// The probe's pages stay with the allocator, so the decode that follows reuses them.
pub fn ensure_headroom(extra: u64) -> Result<()> {
    if extra == 0 {
        return Ok(());
    }
    let len = usize::try_from(extra).map_err(|_| out_of_memory(extra, "to decompress the input"))?;
    let mut probe: Vec<u8> = Vec::new();
    probe.try_reserve_exact(len).map_err(|_| out_of_memory(extra, "to decompress the input"))?;
    Ok(())
}

/// The `OUT_OF_MEMORY` error for `needed` bytes.
pub fn out_of_memory(needed: u64, purpose: &str) -> Error {
    Error::new(
        ErrorCode::OutOfMemory,
        format!(
            "segmetry needs {} {purpose}, more than this WebAssembly instance can hold (at most 4 GiB, shared by every \
             loaded dataset); free datasets you no longer need, load fewer rows or columns, or aggregate in your \
             warehouse first (README: \"Scaling out\")",
            human_bytes(needed)
        ),
    )
}

/// `1.5 GB`-style sizes for messages.
pub fn human_bytes(bytes: u64) -> String {
    const UNITS: [&str; 5] = ["bytes", "KB", "MB", "GB", "TB"];
    let mut value = bytes as f64;
    let mut unit = 0;
    while value >= 1000.0 && unit < UNITS.len() - 1 {
        value /= 1000.0;
        unit += 1;
    }
    if unit == 0 {
        format!("{bytes} bytes")
    } else {
        format!("{value:.1} {}", UNITS[unit])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn impossible_sizes_are_errors_not_aborts() {
        let err = reserve_input(usize::MAX).unwrap_err();
        assert_eq!(err.code, ErrorCode::OutOfMemory);
        assert!(err.message.contains("more than this WebAssembly instance can hold"), "{}", err.message);
        assert_eq!(ensure_headroom(u64::MAX).unwrap_err().code, ErrorCode::OutOfMemory);
        assert_eq!(human_bytes(4_500_000_000), "4.5 GB");
        assert_eq!(human_bytes(12), "12 bytes");
    }
}
