// reporter web page: upload by drag and drop, start a job, follow its steps live. No libraries, no build step.
"use strict";
(function () {
  const csrf = document.querySelector('meta[name="csrf-token"]').content;
  const $ = (sel) => document.querySelector(sel);

  function post(url, body) {
    return fetch(url, { method: "POST", headers: { "X-CSRF-Token": csrf }, body: body, credentials: "same-origin" })
      .then((r) => r.json().catch(() => ({ message: "服务器没有正常答复（" + r.status + "），请刷新页面后重试。" }))
        .then((data) => ({ status: r.status, data: data })));
  }

  // -- upload ---------------------------------------------------------------------------------------------
  const drop = $("#drop");
  function upload(files) {
    if (!files.length) return;
    const list = $("#upload-results");
    const form = new FormData();
    for (const f of files) {
      form.append("files", f, f.name);
      form.append("mtimes", String(f.lastModified || ""));
    }
    list.innerHTML = "";
    const line = document.createElement("li");
    line.textContent = "正在上传 " + files.length + " 个文件……";
    list.appendChild(line);
    const xhr = new XMLHttpRequest();
    xhr.open("POST", drop.dataset.url);
    xhr.setRequestHeader("X-CSRF-Token", csrf);
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable) line.textContent = "正在上传 " + files.length + " 个文件：" + Math.round(100 * e.loaded / e.total) + "%";
    };
    xhr.onload = () => {
      let data;
      try { data = JSON.parse(xhr.responseText); } catch (err) { data = { message: "上传失败（" + xhr.status + "），请重试。" }; }
      list.innerHTML = "";
      if (!data.files) { addResult(list, "未保存", data.message); return; }
      for (const f of data.files) addResult(list, f.state, f.name + "：" + f.message);
      if (data.busy) addResult(list, "重复", data.busy);
      if (data.job) follow(data.job, "汇总报送");
    };
    xhr.onerror = () => { list.innerHTML = ""; addResult(list, "未保存", "上传中断：请检查网络后重试。"); };
    xhr.send(form);
  }
  function addResult(list, state, text) {
    const li = document.createElement("li");
    li.className = state;
    li.textContent = (state === "已保存" ? "✓ " : state === "重复" ? "＝ " : "✗ ") + text;
    list.appendChild(li);
  }
  if (drop) {
    ["dragenter", "dragover"].forEach((t) => drop.addEventListener(t, (e) => { e.preventDefault(); drop.classList.add("over"); }));
    ["dragleave", "drop"].forEach((t) => drop.addEventListener(t, (e) => { e.preventDefault(); drop.classList.remove("over"); }));
    drop.addEventListener("drop", (e) => upload(Array.from(e.dataTransfer.files)));
    $("#picker").addEventListener("change", (e) => { upload(Array.from(e.target.files)); e.target.value = ""; });
  }

  // -- jobs -----------------------------------------------------------------------------------------------
  function start(button) {
    button.disabled = true;
    post(button.dataset.url, null).then(({ status, data }) => {
      button.disabled = false;
      if (status === 409) { showJob("本工作区已有任务在运行"); $("#job-message").textContent = data.message; if (data.job) follow(data.job); return; }
      if (!data.job) { showJob("无法开始"); $("#job-message").textContent = data.message; return; }
      follow(data.job, button.textContent);
    });
  }
  function showJob(title) {
    const box = $("#job");
    box.hidden = false;
    $("#job-title").textContent = title;
  }
  function follow(id, label) {
    showJob("正在" + (label || "运行") + "……");
    $("#job-steps").innerHTML = "";
    $("#job-message").textContent = "";
    document.querySelectorAll("#run, #collect").forEach((b) => { b.disabled = true; });
    const source = new EventSource("/jobs/" + id + "/events");
    source.onmessage = (e) => step(JSON.parse(e.data), source);
    source.onerror = () => { source.close(); poll(id); };
  }
  function poll(id) {
    fetch("/jobs/" + id, { credentials: "same-origin" }).then((r) => r.json()).then((job) => {
      if (!job.events) { $("#job-message").textContent = job.message; return; }
      $("#job-steps").innerHTML = "";
      job.events.forEach((ev) => step(ev, null));
      if (!job.done) setTimeout(() => poll(id), 1000);
    });
  }
  const marks = { true: "done", false: "failed", null: "skipped" };
  function step(ev, source) {
    const steps = $("#job-steps");
    let li = steps.querySelector('[data-step="' + ev.step + '"]');
    if (ev.type === "start") {
      if (!li) { li = document.createElement("li"); li.dataset.step = ev.step; li.dataset.done = "0"; steps.appendChild(li); }
      li.dataset.total = ev.total || "";
      li.className = "running";
      li.textContent = ev.step + (ev.total ? "（0/" + ev.total + "）" : "");
    } else if (ev.type === "advance" && li) {
      li.dataset.done = String(Number(li.dataset.done) + ev.done);
      li.textContent = ev.step + (li.dataset.total ? "（" + li.dataset.done + "/" + li.dataset.total + "）" : "");
    } else if (ev.type === "finish") {
      if (!li) { li = document.createElement("li"); li.dataset.step = ev.step; steps.appendChild(li); }
      li.className = marks[ev.ok];
      li.textContent = (ev.ok === true ? "✓ " : ev.ok === false ? "✗ " : "– ") + ev.step + (ev.note ? "：" + ev.note : "");
    } else if (ev.type === "done") {
      if (source) source.close();
      $("#job-title").textContent = ev.ok ? "已完成，正在刷新本页……" : "运行结束，有步骤出错";
      $("#job-message").textContent = ev.error || (ev.ok ? "" : "出错的步骤见上；其余步骤的输出已生成。");
      document.querySelectorAll("#run, #collect").forEach((b) => { b.disabled = false; });
      if (ev.ok) setTimeout(() => window.location.reload(), 1200);
    }
  }
  document.querySelectorAll("#run, #collect").forEach((b) => b.addEventListener("click", () => start(b)));
  const running = $("#job[data-job]");
  if (running) follow(running.dataset.job);

  // -- filters, copy, preview -----------------------------------------------------------------------------
  document.querySelectorAll("input.filter").forEach((input) => input.addEventListener("input", () => {
    const text = input.value.trim();
    document.querySelectorAll("#" + input.dataset.table + " tbody tr").forEach((tr) => {
      tr.hidden = text !== "" && !(tr.dataset.unit || tr.textContent).includes(text);
    });
  }));
  const copy = $("#copy-chase");
  if (copy) copy.addEventListener("click", () => {
    const area = $("#chase");
    area.select();
    const done = () => { $("#copied").hidden = false; };
    if (navigator.clipboard) navigator.clipboard.writeText(area.value).then(done, () => { document.execCommand("copy"); done(); });
    else { document.execCommand("copy"); done(); }
  });
  document.querySelectorAll("button.preview").forEach((b) => b.addEventListener("click", () => {
    $("#preview-card").hidden = false;
    $("#preview-title").textContent = b.dataset.title;
    $("#preview").src = b.dataset.src;
    $("#preview-card").scrollIntoView({ behavior: "smooth" });
  }));
})();
