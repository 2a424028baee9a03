// GraphiQL keeps tabs and history in localStorage, and its history keeps each request's headers,
// bearer token included. This storage drops every "headers" value before anything is written,
// unless the user turned on Settings → Persist headers (GraphiQL's own opt-in toggle).
const NAMESPACE = "graphiql:";
const PERSIST_KEY = NAMESPACE + "shouldPersistHeaders";

export function withoutHeaders(text) {
  let value;
  try {
    value = JSON.parse(text);
  } catch {
    return text; // not JSON: GraphiQL stores plain strings (a query, a theme) as they are
  }
  if (value === null || typeof value !== "object") return text;
  return JSON.stringify(value, (key, item) => (key === "headers" ? null : item));
}

export function headerSafeStorage(backing) {
  const persisting = () => backing.getItem(PERSIST_KEY) === "true";
  return {
    getItem: (key) => backing.getItem(key),
    setItem(key, value) {
      if (persisting()) {
        backing.setItem(key, value);
      } else if (key === NAMESPACE + "headers") {
        backing.removeItem(key);
      } else {
        backing.setItem(key, withoutHeaders(value));
      }
    },
    removeItem: (key) => backing.removeItem(key),
    clear() {
      for (const key of Object.keys(backing)) {
        if (key.startsWith(NAMESPACE)) backing.removeItem(key);
      }
    },
    get length() {
      return Object.keys(backing).filter((key) => key.startsWith(NAMESPACE)).length;
    },
  };
}
