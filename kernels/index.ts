// The one WASM module: every kernel family, exported as plain functions over
// pointers into the imported shared memory. No allocation, no globals, no
// static data beyond what the math library carries (see MEASURED.md).
export { sum_f64, minmax_f64, minmax_f32, minmax_i32, minmax_u32, minmax_u16, minmax_u8 } from "./reduce";
export { vm_init, vm_chunk } from "./vm";
export { hist_fill1d, hist_fill2d } from "./hist";
export { mask_count, mask_any } from "./select";
export { gen_dimuon, gen_toy } from "./demo";
export { scan_bytes } from "./scan";
export { csv_decode } from "./csv";
export { csv_scan } from "./csv-scan";
