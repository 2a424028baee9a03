// Civic Mesh's GraphiQL: GraphiQL 3 with the explorer plugin, configured by the page itself.
// The gateway writes the settings into <script type="application/json" id="mesh-graphiql-config">
// (a data block: never executed, so the Content-Security-Policy needs no inline script).
import { explorerPlugin } from "@graphiql/plugin-explorer";
import { useEditorContext } from "@graphiql/react";
import { createGraphiQLFetcher } from "@graphiql/toolkit";
import { GraphiQL } from "graphiql";
import React, { useEffect } from "react";
import { createRoot } from "react-dom/client";

import "graphiql/graphiql.css";
import "@graphiql/plugin-explorer/dist/style.css";
import "./mesh.css";

import { headerSafeStorage } from "./storage.js";

function readConfig() {
  const element = document.getElementById("mesh-graphiql-config");
  return element ? JSON.parse(element.textContent || "{}") : {};
}

// A hint shown under the header editor: which purposes of use exist, and how the headers are kept.
function HeaderHint({ purposes, demo }) {
  const { headerEditor } = useEditorContext({ nonNull: true });
  useEffect(() => {
    if (!headerEditor) return undefined;
    const hint = document.createElement("div");
    hint.className = "mesh-header-hint";
    hint.setAttribute("data-testid", "mesh-header-hint");
    const who = demo ? "The demo's safeguarding lead. " : "Put your token in Authorization. ";
    hint.textContent =
      who +
      "X-Purpose-Of-Use: " +
      purposes.join(" · ") +
      " (with X-Case-Reference for safeguarding, X-Justification for EMERGENCY). " +
      "Not saved in the browser unless Settings → Persist headers.";
    const editor = headerEditor.getWrapperElement().parentElement;
    editor.classList.add("mesh-has-hint");
    editor.appendChild(hint);
    return () => {
      hint.remove();
      editor.classList.remove("mesh-has-hint");
    };
  }, [headerEditor, purposes, demo]);
  return null;
}

function App({ config }) {
  const fetcher = createGraphiQLFetcher({ url: config.endpoint });
  const explorer = explorerPlugin({ showAttribution: false });
  return (
    <GraphiQL
      fetcher={fetcher}
      plugins={[explorer]}
      storage={headerSafeStorage(window.localStorage)}
      defaultQuery={config.query}
      query={config.query}
      variables={config.variables}
      headers={config.headers}
      defaultEditorToolsVisibility="headers"
      isHeadersEditorEnabled
    >
      <GraphiQL.Logo>Civic Mesh</GraphiQL.Logo>
      <GraphiQL.Footer>
        <HeaderHint purposes={config.purposes || []} demo={Boolean(config.demo)} />
      </GraphiQL.Footer>
    </GraphiQL>
  );
}

const config = readConfig();
// GraphiQL's dialogs add one <style> element; the page's CSP admits it by this nonce only.
window.__webpack_nonce__ = config.styleNonce;
createRoot(document.getElementById("graphiql")).render(<App config={config} />);
