// blip4j web page: plain JavaScript, no build step. Talks to the /v1 API of the server that serves it.
"use strict";
const $ = (id) => document.getElementById(id);
let imageFile = null;
let roles = {};

function showError(message) {
  $("error").textContent = message || "";
}

async function call(path, form) {
  const response = await fetch(path, { method: "POST", body: form });
  const body = await response.json().catch(() => ({ error: "HTTP " + response.status }));
  if (!response.ok) {
    throw new Error(body.error || "HTTP " + response.status);
  }
  return body;
}

function withImage() {
  const form = new FormData();
  form.append("image", imageFile, imageFile.name);
  return form;
}

async function caption() {
  if (!imageFile || !roles.captioner) return;
  const form = withImage();
  const mode = $("mode").value;
  if (mode === "greedy") form.append("greedy", "true");
  else if (mode === "sample") form.append("sample", "true");
  else form.append("beams", $("beams").value);
  form.append("num_captions", $("num-captions").value);
  form.append("seed", $("seed").value);
  const list = $("captions");
  list.innerHTML = "<li class='muted'>captioning…</li>";
  try {
    const body = await call("/v1/caption", form);
    list.innerHTML = "";
    for (const c of body.captions) {
      const li = document.createElement("li");
      li.textContent = c.caption;
      li.title = "score " + c.score.toFixed(4);
      list.appendChild(li);
    }
    showError("");
  } catch (e) {
    list.innerHTML = "";
    showError(e.message);
  }
}

async function ask() {
  if (!imageFile) return showError("choose an image first");
  const form = withImage();
  form.append("question", $("question").value);
  try {
    const body = await call("/v1/vqa", form);
    $("answer").textContent = body.answer;
    showError("");
  } catch (e) {
    $("answer").textContent = "";
    showError(e.message);
  }
}

async function score() {
  if (!imageFile) return showError("choose an image first");
  const form = withImage();
  for (const line of $("itm-texts").value.split("\n")) {
    if (line.trim()) form.append("text", line.trim());
  }
  const tbody = $("itm-results").querySelector("tbody");
  try {
    const body = await call("/v1/itm", form);
    tbody.innerHTML = "";
    for (const r of body.results) {
      const tr = document.createElement("tr");
      for (const v of [r.text, r.itm.toFixed(3), r.itc === null ? "–" : r.itc.toFixed(3)]) {
        const td = document.createElement("td");
        td.textContent = v;
        tr.appendChild(td);
      }
      tbody.appendChild(tr);
    }
    showError("");
  } catch (e) {
    tbody.innerHTML = "";
    showError(e.message);
  }
}

async function search() {
  const form = new FormData();
  form.append("text", $("query").value);
  form.append("k", $("k").value);
  const grid = $("search-results");
  try {
    const body = await call("/v1/search", form);
    grid.innerHTML = "";
    for (const r of body.results) {
      const fig = document.createElement("figure");
      const img = document.createElement("img");
      img.src = "/v1/thumb?id=" + encodeURIComponent(r.id);
      img.alt = r.id;
      const cap = document.createElement("figcaption");
      cap.textContent = r.score.toFixed(3);
      cap.title = r.id;
      fig.appendChild(img);
      fig.appendChild(cap);
      grid.appendChild(fig);
    }
    showError("");
  } catch (e) {
    grid.innerHTML = "";
    showError(e.message);
  }
}

function choose(file) {
  if (!file) return;
  imageFile = file;
  const preview = $("preview");
  preview.src = URL.createObjectURL(file);
  preview.hidden = false;
  $("drop-hint").hidden = true;
  caption();
}

async function start() {
  try {
    const health = await (await fetch("/health")).json();
    const m = health.models;
    roles = { captioner: !!m.captioner, matcher: !!m.matcher, vqa: !!m.vqa, index: !!m.index };
    $("status").textContent = Object.keys(roles).filter((r) => roles[r]).join(" · ") + " ready";
  } catch (e) {
    $("status").textContent = "server unreachable";
  }
  for (const card of document.querySelectorAll("[data-role]")) {
    if (!roles[card.dataset.role]) {
      card.classList.add("disabled");
      card.title = "not served: start blip serve with the " + card.dataset.role + " role";
      for (const el of card.querySelectorAll("input, button, select, textarea")) el.disabled = true;
    }
  }
  $("image").addEventListener("change", (e) => choose(e.target.files[0]));
  const drop = $("drop");
  drop.addEventListener("dragover", (e) => { e.preventDefault(); drop.classList.add("over"); });
  drop.addEventListener("dragleave", () => drop.classList.remove("over"));
  drop.addEventListener("drop", (e) => {
    e.preventDefault();
    drop.classList.remove("over");
    choose(e.dataTransfer.files[0]);
  });
  for (const id of ["mode", "beams", "num-captions", "seed"]) $(id).addEventListener("change", caption);
  $("ask").addEventListener("click", ask);
  $("score").addEventListener("click", score);
  $("search").addEventListener("click", search);
  $("query").addEventListener("keydown", (e) => { if (e.key === "Enter") search(); });
}

start();
