// The form check's camera: record a short clip with MediaRecorder and hand it to the form's
// file input, so the plain form (which works without this script) sends it. Stops by itself
// after 30 s: a few slow reps are enough, and the server takes 60 s at most.
(() => {
  "use strict";
  const form = document.querySelector("[data-form-check]");
  if (!form) return;
  const busy = form.querySelector("[data-busy]");
  form.addEventListener("submit", () => { if (busy) busy.hidden = false; });
  const box = form.querySelector("[data-recorder]");
  const input = form.querySelector("#video");
  if (!box || !input || !window.MediaRecorder || !navigator.mediaDevices || !window.DataTransfer) return;
  box.hidden = false;
  const button = box.querySelector("[data-record]");
  const status = box.querySelector("[data-record-status]");
  const preview = box.querySelector("[data-preview]");
  const MAX_MS = 30000;
  let recorder = null;
  let stream = null;
  let timer = null;

  function stop() {
    if (recorder && recorder.state !== "inactive") recorder.stop();
    clearTimeout(timer);
  }

  async function start() {
    try {
      stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" }, audio: false });
    } catch (e) {
      status.textContent = "The camera could not be opened (it needs permission, and a secure connection): choose a video file instead.";
      return;
    }
    preview.hidden = false;
    preview.srcObject = stream;
    preview.play();
    const chunks = [];
    recorder = new MediaRecorder(stream);
    recorder.ondataavailable = (e) => { if (e.data.size) chunks.push(e.data); };
    recorder.onstop = () => {
      stream.getTracks().forEach((t) => t.stop());
      preview.srcObject = null;
      preview.hidden = true;
      const type = recorder.mimeType || "video/webm";
      const suffix = type.includes("mp4") ? "mp4" : "webm";
      const file = new File(chunks, `clip.${suffix}`, { type });
      const files = new DataTransfer();
      files.items.add(file);
      input.files = files.files;
      button.textContent = "Record again";
      status.textContent = `Recorded ${Math.round(file.size / 1024)} KB: press "Check my form".`;
      recorder = null;
    };
    recorder.start(1000);
    button.textContent = "Stop";
    status.textContent = "Recording: do a few slow reps, then press Stop.";
    timer = setTimeout(stop, MAX_MS);
  }

  button.addEventListener("click", () => { if (recorder) stop(); else start(); });
})();
