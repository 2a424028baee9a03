// The /insights page: asks the gateway for one demand table (purpose PLANNING) and shows it as
// a table and a chart. No data is in the page itself; the token stays in this tab's storage.
"use strict";

const MEASURES = [
  ["minNeeds:1", "Households with any need", { minNeeds: 1 }],
  ["minNeeds:3", "3 or more needs", { minNeeds: 3 }],
  ["need:CHILDREN_SAFE", "Children's safety", { need: "CHILDREN_SAFE" }],
  ["need:DOMESTIC_ABUSE", "Domestic abuse", { need: "DOMESTIC_ABUSE" }],
  ["need:FINANCIAL_STABILITY", "Financial stability", { need: "FINANCIAL_STABILITY" }],
  ["minAgencies:2", "Known to 2+ services", { minAgencies: 2 }],
];
const QUERY = `query Insights($measures: [DemandMeasure!]!) {
  demand(groupBy: ["LOCAL_AUTHORITY"], measures: $measures) {
    measures complete suppressedCells rules release asOf
    rows { group total cells { measure count suppressed } }
    contributions { agency status note }
  }
}`;

function token() {
  const match = /(?:^#|&)token=([^&]+)/.exec(window.location.hash);
  if (match) {
    sessionStorage.setItem("mesh-token", decodeURIComponent(match[1]));
    history.replaceState(null, "", window.location.pathname);
  }
  return sessionStorage.getItem("mesh-token");
}

function headers(bearer) {
  return {
    "content-type": "application/json",
    accept: "application/json",
    authorization: "Bearer " + bearer,
    "x-purpose-of-use": "PLANNING",
  };
}

function show(state, message) {
  document.body.dataset.state = state;
  const status = document.getElementById("status");
  status.textContent = message;
  status.className = state === "error" ? "error" : "";
}

function cell(text, className) {
  const td = document.createElement("td");
  td.textContent = text;
  if (className) td.className = className;
  return td;
}

function renderTable(table) {
  const head = document.querySelector("#demand thead");
  const body = document.querySelector("#demand tbody");
  head.replaceChildren();
  body.replaceChildren();
  const row = document.createElement("tr");
  for (const title of ["Local authority", ...MEASURES.map((m) => m[1])]) {
    const th = document.createElement("th");
    th.textContent = title;
    row.appendChild(th);
  }
  head.appendChild(row);
  for (const r of table.rows) {
    const tr = document.createElement("tr");
    if (r.total) tr.className = "total";
    tr.appendChild(cell(r.group[0] === "All" ? "Greater Manchester" : r.group[0]));
    for (const c of r.cells) {
      tr.appendChild(c.suppressed ? cell("*", "suppressed") : cell(String(c.count)));
    }
    body.appendChild(tr);
  }
  const list = document.getElementById("contributions");
  list.replaceChildren();
  for (const c of table.contributions) {
    const li = document.createElement("li");
    li.textContent = `${c.agency}: ${c.status.toLowerCase().replace("_", " ")} (${c.note})`;
    list.appendChild(li);
  }
  document.getElementById("release").textContent =
    `Release ${table.release}, data as of ${table.asOf}. ${table.rules}.` +
    (table.complete ? "" : " Incomplete: an agency did not answer.");
}

function renderChart(table) {
  const index = table.measures.indexOf("minNeeds:3");
  const rows = table.rows.filter((r) => !r.total && r.group[0] !== "Unknown");
  const chart = new window.Chart(document.getElementById("chart"), {
    type: "bar",
    data: {
      labels: rows.map((r) => r.group[0]),
      datasets: [{
        label: "Households with 3 or more needs (rounded to 5; gaps are hidden counts)",
        data: rows.map((r) => r.cells[index].count),
        backgroundColor: "#1d70b8",
      }],
    },
    options: { animation: false, responsive: false, scales: { y: { beginAtZero: true } } },
  });
  const canvas = document.getElementById("chart");
  canvas.dataset.labels = String(chart.data.labels.length);
  canvas.dataset.bars = String(chart.data.datasets[0].data.filter((v) => v !== null).length);
}

async function load(bearer) {
  show("loading", "Loading…");
  const response = await fetch("/graphql", {
    method: "POST",
    headers: headers(bearer),
    body: JSON.stringify({ query: QUERY, variables: { measures: MEASURES.map((m) => m[2]) } }),
  });
  const body = await response.json();
  const table = body.data && body.data.demand;
  if (!table) {
    const reason = (body.errors || []).map((e) => e.message).join("; ") || response.statusText;
    show("error", "The gateway did not release the table: " + reason);
    return;
  }
  renderTable(table);
  renderChart(table);
  document.getElementById("chart-section").hidden = false;
  document.getElementById("table-section").hidden = false;
  show("ready", table.complete ? "Up to date." : "Incomplete: an agency did not answer.");
}

async function download(bearer) {
  const measures = MEASURES.map((m) => m[0]).join(",");
  const response = await fetch(`/insights/demand.csv?groupBy=LOCAL_AUTHORITY&measures=${measures}`, {
    headers: headers(bearer),
  });
  if (!response.ok) {
    show("error", "The CSV was not released: " + (await response.text()));
    return;
  }
  const link = document.createElement("a");
  link.href = URL.createObjectURL(await response.blob());
  link.download = "demand.csv";
  link.click();
}

function start() {
  const bearer = token();
  const form = document.getElementById("sign-in");
  if (!bearer) {
    form.hidden = false;
    show("signed-out", "Sign in with your token to see the table.");
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      sessionStorage.setItem("mesh-token", document.getElementById("token").value.trim());
      window.location.reload();
    });
    return;
  }
  document.getElementById("download").addEventListener("click", () => download(bearer));
  load(bearer).catch((error) => show("error", String(error)));
}

document.addEventListener("DOMContentLoaded", start);
