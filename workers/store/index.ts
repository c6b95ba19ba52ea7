export * from './types';
export * from './Allocator';
export * from './ColumnStore';
