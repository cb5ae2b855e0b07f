/** The signed-in token, per browser tab: sessionStorage forgets it when the tab closes. */
const KEY = "voxanne.token";

export const session = {
  /** @returns {string | null} */
  get() {
    try {
      return sessionStorage.getItem(KEY);
    } catch {
      return null; // storage disabled: the user signs in again on each load
    }
  },
  /** @param {string} token */
  set(token) {
    try {
      sessionStorage.setItem(KEY, token);
    } catch {}
  },
  clear() {
    try {
      sessionStorage.removeItem(KEY);
    } catch {}
  },
};
