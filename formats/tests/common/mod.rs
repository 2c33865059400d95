#![allow(dead_code)]
use arrow_array::RecordBatch;
use arrow_ipc::reader::StreamReader;

/// Read an IPC stream back into batches.
pub fn read_ipc(bytes: &[u8]) -> (arrow_schema::SchemaRef, Vec<RecordBatch>) {
    let reader = StreamReader::try_new(std::io::Cursor::new(bytes.to_vec()), None).expect("valid IPC stream");
    let schema = reader.schema();
    let batches = reader.map(|b| b.expect("valid batch")).collect();
    (schema, batches)
}

pub fn concat(schema: &arrow_schema::SchemaRef, batches: &[RecordBatch]) -> RecordBatch {
    arrow_select_concat(schema, batches)
}

fn arrow_select_concat(schema: &arrow_schema::SchemaRef, batches: &[RecordBatch]) -> RecordBatch {
    // Concatenate column by column through arrow-cast-free means: collect into one batch via IPC-independent copy.
    use arrow_array::ArrayRef;
    if batches.is_empty() {
        return RecordBatch::new_empty(schema.clone());
    }
    let mut columns: Vec<ArrayRef> = Vec::new();
    for i in 0..schema.fields().len() {
        let parts: Vec<&dyn arrow_array::Array> = batches.iter().map(|b| b.column(i).as_ref()).collect();
        columns.push(arrow_select::concat::concat(&parts).unwrap());
    }
    RecordBatch::try_new(schema.clone(), columns).unwrap()
}

/// A tiny deterministic PRNG (xorshift64*), so the corruption tests need no extra crates.
pub struct Rng(pub u64);
impl Rng {
    pub fn next_u64(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n.max(1) as u64) as usize
    }
}
