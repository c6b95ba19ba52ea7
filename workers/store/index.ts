export * from './types';
export * from './Allocator';
export * from './ColumnStore';
export * from './dictionary';
