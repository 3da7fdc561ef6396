/** Which incidents of the list are selected for a bulk action (ids), and how to change that. */
export interface Selection {
  selected: ReadonlySet<string>;
  toggle: (id: string, on: boolean) => void;
  /** Every incident shown, or none. */
  toggleAll: (on: boolean) => void;
}
