// The local trial's chat: draws one person's chat with the bot and sends what they type or press.
"use strict";

const HEADERS = { "X-Local-Trial": "1" };
let person = null;
let shownAlerts = 0;
let lastDrawn = "";

function labels() {
  return document.body.dataset;
}

async function call(path, options = {}) {
  const response = await fetch(path, { ...options, headers: { ...HEADERS, ...(options.headers || {}) } });
  if (!response.ok) throw new Error(String(response.status));
  return response.json();
}

function bubble(message) {
  const item = document.createElement("div");
  item.className = message.mine ? "message mine" : "message bot";
  item.dataset.id = message.id;
  if (message.photo) {
    const image = document.createElement("img");
    image.src = message.photo;
    image.alt = "";
    item.append(image);
  }
  if (message.document) {
    const link = document.createElement("a");
    link.href = message.document.url;
    link.textContent = "📎 " + message.document.name;
    link.className = "document";
    item.append(link);
  }
  if (message.text) {
    const text = document.createElement("div");
    text.className = "text";
    text.textContent = message.text;
    item.append(text);
  }
  for (const row of message.buttons) {
    const line = document.createElement("div");
    line.className = "buttons";
    for (const button of row) {
      const press = document.createElement("button");
      press.type = "button";
      press.textContent = button.text;
      press.addEventListener("click", () => pressed(message.id, button.data));
      line.append(press);
    }
    item.append(line);
  }
  return item;
}

function showAlert(text) {
  const alert = document.getElementById("alert");
  alert.textContent = text;
  alert.hidden = false;
  clearTimeout(showAlert.timer);
  showAlert.timer = setTimeout(() => { alert.hidden = true; }, 6000);
}

async function refresh() {
  if (person === null) return;
  let chat;
  try {
    chat = await call(`/chat/api/chat/${person}`);
  } catch (error) {
    showAlert(labels().failed);
    return;
  }
  const drawn = JSON.stringify(chat.messages);
  if (drawn !== lastDrawn) {
    lastDrawn = drawn;
    const log = document.getElementById("log");
    log.replaceChildren(...chat.messages.map(bubble));
    if (!chat.messages.length) {
      const empty = document.createElement("p");
      empty.className = "empty";
      empty.textContent = labels().empty;
      log.append(empty);
    }
    log.scrollTop = log.scrollHeight;
  }
  for (const text of chat.alerts.slice(shownAlerts)) showAlert(text);
  shownAlerts = chat.alerts.length;
}

async function pressed(message, data) {
  await call(`/chat/api/press/${person}`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ message, data }),
  });
  setTimeout(refresh, 300);
}

async function send(event) {
  event.preventDefault();
  const text = document.getElementById("text");
  const file = document.getElementById("file");
  if (file.files.length) {
    const form = new FormData();
    form.append("file", file.files[0]);
    form.append("caption", text.value);
    await call(`/chat/api/file/${person}`, { method: "POST", body: form });
    file.value = "";
  } else if (text.value.trim()) {
    await call(`/chat/api/send/${person}`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ text: text.value }),
    });
  }
  text.value = "";
  setTimeout(refresh, 300);
}

async function start() {
  const select = document.getElementById("person");
  const people = await call("/chat/api/people");
  for (const someone of people) {
    const option = document.createElement("option");
    option.value = someone.id;
    option.textContent = `${someone.name} — ${someone.role}`;
    select.append(option);
  }
  const choose = () => {
    person = select.value;
    shownAlerts = Number.MAX_SAFE_INTEGER; // only new answers of this person's presses
    lastDrawn = "";
    call(`/chat/api/chat/${person}`).then((chat) => { shownAlerts = chat.alerts.length; refresh(); });
  };
  select.addEventListener("change", choose);
  document.getElementById("compose").addEventListener("submit", send);
  if (people.length) choose();
  setInterval(refresh, 1000);
}

document.addEventListener("DOMContentLoaded", start);
