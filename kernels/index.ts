// The one WASM module: every kernel family, exported as plain functions over
// pointers into the imported shared memory. No allocation, no globals, no
// static data beyond what the math library carries (see MEASURED.md).
export { sum_f64 } from "./reduce";
