/** What a plot card needs from the chart inside it, for export and brushing. */
export interface PlotHandle {
  /** the chart's canvas (axes, data, overlays), at device resolution */
  canvas(): HTMLCanvasElement;
  /** a 2D plot's colour bar, to be placed right of the chart in a PNG */
  colorBar?(): HTMLCanvasElement;
  clearSelection(): void;
}
