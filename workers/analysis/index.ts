// The analysis document: its types, checks and canonical form.
export type {
  AnalysisDoc, AnalysisInput, Axis, CheckedAnalysis, CheckedAxis, ColumnType, DatasetFormat, DatasetRef,
  DatasetSchema, Histogram, NamedExpr,
} from './document';
export { DATASET_FORMATS, LIMITS } from './document';
export { validateShape, type ShapeResult } from './shape';
export { validate, type ValidateResult } from './validate';
export { canonicalize, stableJson } from './canonical';
