// What every side of the comparison hands back for one run of the same work.

export interface SideRun {
  /** Wall time of the whole run, as its operator waits for it. */
  ms: number;
  /** The bare remote it pushed to, and the branch it pushed. */
  remote: string;
  branch: string;
}

export type Side = (id: string) => Promise<SideRun>;

export const FEATURE_TEXT =
  'Let users share a to-do list with a teammate by email, with read-only or edit access';
