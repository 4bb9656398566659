"""The widgets in a real browser: JupyterLab on 127.0.0.1, Debian Chromium driven by Playwright, WebGL on SwiftShader.
Screenshots are kept in tests/artifacts/browser/ (not committed)."""
import json, os, shutil, signal, socket, subprocess, sys, time, secrets, urllib.request
from pathlib import Path
import numpy as np
import pytest
from conftest import ROOT

ART = ROOT / "tests" / "artifacts" / "browser"
CHROME_ARGS = ["--no-sandbox", "--enable-unsafe-swiftshader", "--disable-background-networking", "--disable-component-update",
               "--disable-sync", "--no-first-run", "--use-gl=angle", "--use-angle=swiftshader",
               "--disable-background-timer-throttling", "--disable-renderer-backgrounding", "--disable-backgrounding-occluded-windows"]

CELLS = [
    "import json, os, faulthandler, signal\nfrom pathlib import Path\nfrom dewi_kadita.params import load_preset\nfrom dewi_kadita.files import write_run\nfrom dewi_kadita.widgets import SchoolView, Explorer\n"
    "faulthandler.register(signal.SIGUSR1, file=open('kernel_stacks.txt', 'w'), all_threads=True)  # the test asks for every thread's stack if it waits in vain",
    "p, _ = load_preset('torus')\nf = write_run('torus.nc', p, steps=600, seed=1, save_every=5, quiet=True, overwrite=True)\nview = SchoolView(f, color_by='depth', width=480, height=360)\nview",
    "from dewi_kadita.box import polarization, milling\nex = Explorer('torus', steps_per_frame=5, width=480, height=360); ex.set(n_fish=250)\n"
    "def record(_=None):  # written whole, then renamed: the test never reads a half-written file\n"
    "    Path('explorer_state.tmp').write_text(json.dumps(dict(dr_orientation=ex.params.dr_orientation, step=ex.step, "
    "x0=float(ex.pos[0, 0]), P=polarization(ex.head), M=milling(ex.pos, ex.head), running=ex.run_button.value, message=ex.message.value, pid=os.getpid(), "
    "informed=ex.informed.value, color=ex.color.value, n=ex.params.n_fish)))\n"
    "    Path('explorer_state.tmp').replace('explorer_state.json')\n"
    "for w in (ex.sliders['dr_orientation'], ex.stats, ex.message, ex.run_button): w.observe(record, 'value')\nrecord()\nex",
]

# counts the browser's WebGL draws (one clear per rendered frame), to report how many frames it shows a second
COUNT_DRAWS = """
window.__glClears = 0;
for (const C of [window.WebGLRenderingContext, window.WebGL2RenderingContext]) {
  if (!C) continue;
  const clear = C.prototype.clear;
  C.prototype.clear = function (mask) { window.__glClears += 1; return clear.call(this, mask); };
}
"""

def _notebook(path):
    cells = [dict(cell_type="code", execution_count=None, metadata={}, outputs=[], source=c) for c in CELLS]
    nb = dict(cells=cells, metadata=dict(kernelspec=dict(name="python3", display_name="Python 3", language="python")), nbformat=4, nbformat_minor=5)
    path.write_text(json.dumps(nb))

def _free_port():
    with socket.socket() as s: s.bind(("127.0.0.1", 0)); return s.getsockname()[1]

def _chromium():
    exe = shutil.which("chromium")
    if exe is None:
        if os.environ.get("CI"): pytest.fail("chromium is not installed: .ci/run installs it with apt-get install -y chromium")
        pytest.skip("chromium is not installed here (apt-get install -y chromium); CI installs it")
    return exe

def _wait_http(url, timeout=120):
    t0 = time.time()
    while time.time() - t0 < timeout:
        try:
            with urllib.request.urlopen(url, timeout=2) as r:
                if r.status == 200: return
        except OSError: time.sleep(0.3)
    raise TimeoutError(f"JupyterLab did not answer at {url}")

def _pixels(locator, name):
    from PIL import Image
    import io
    png = locator.screenshot(path=str(ART / f"{name}.png"))
    return np.asarray(Image.open(io.BytesIO(png)).convert("RGB")).astype(int)

BACKGROUND = (10, 16, 32)  # the scene's background, #0a1020

def _drawn(img, background=BACKGROUND):
    return int((np.abs(img - np.array(background)).sum(axis=2) > 60).sum())

def _fill(img, background=BACKGROUND):
    "Share of the view's area inside the bounding box of the drawn pixels (the view: the rows and columns mostly background)."
    bg = np.abs(img - np.array(background)).sum(axis=2)
    view = bg[(bg <= 12).mean(1) > 0.5][:, (bg <= 12).mean(0) > 0.5]  # a screenshot may take in a row of the page around the canvas
    ys, xs = np.nonzero(view > 60)
    return float((np.ptp(xs) + 1) * (np.ptp(ys) + 1) / view.size) if len(xs) else 0.0

MIN_FILL = 0.2  # the school's bounding box covers at least this share of the view (a tenth before the camera framed the school)

@pytest.fixture
def lab(tmp_path):
    exe = _chromium()
    from playwright.sync_api import sync_playwright
    ART.mkdir(parents=True, exist_ok=True)
    _notebook(tmp_path / "widgets_test.ipynb")
    port, token = _free_port(), secrets.token_hex(16)
    server = subprocess.Popen([sys.executable, "-m", "jupyter", "lab", "--no-browser", "--allow-root", "--ip=127.0.0.1", f"--port={port}",
                               f"--IdentityProvider.token={token}", "--LabApp.expose_app_in_browser=True", f"--ServerApp.root_dir={tmp_path}"],
                              stdout=open(ART / "jupyterlab.log", "w"), stderr=subprocess.STDOUT)
    pw = browser = None
    try:
        _wait_http(f"http://127.0.0.1:{port}/api?token={token}")
        pw = sync_playwright().start()
        browser = pw.chromium.launch(executable_path=exe, args=CHROME_ARGS, headless=True)
        page = browser.new_page(viewport=dict(width=1400, height=1000))
        errors = []
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.add_init_script(COUNT_DRAWS)
        page.goto(f"http://127.0.0.1:{port}/lab/tree/widgets_test.ipynb?token={token}")
        yield page, tmp_path, errors
    finally:
        if browser: browser.close()
        if pw: pw.stop()
        server.terminate()
        try: server.wait(20)
        except subprocess.TimeoutExpired: server.kill()

def _state(root): return json.loads((root / "explorer_state.json").read_text())

def _wait_state(page, root, ok, timeout_s, what):
    t0 = time.time()
    while time.time() - t0 < timeout_s:
        try:
            st = _state(root)
            if ok(st): return st
        except (json.JSONDecodeError, FileNotFoundError): pass
        page.wait_for_timeout(250)
    try: last = _state(root)
    except (OSError, ValueError) as e: last = f"(the notebook wrote no state: {e!r})"  # the stacks below still say why
    raise AssertionError(f"{what} did not happen within {timeout_s} s: {last}\n{_kernel_stacks(root)}")

def _kernel_stacks(root):
    "Every thread's Python stack in the notebook's kernel (faulthandler, on SIGUSR1) and the end of JupyterLab's log, kept with the artifacts."
    try:
        os.kill(_state(root)["pid"], signal.SIGUSR1); time.sleep(2)
        stacks = (root / "kernel_stacks.txt").read_text() if (root / "kernel_stacks.txt").exists() else "(the kernel wrote no stacks)"
    except (OSError, KeyError, ValueError) as e: stacks = f"(no stacks from the kernel: {e!r})"
    (ART / "kernel_stacks.txt").write_text(stacks)
    log = (ART / "jupyterlab.log").read_text(errors="replace").splitlines()[-15:] if (ART / "jupyterlab.log").exists() else []
    return "the kernel's threads:\n" + stacks + "\nthe end of JupyterLab's log:\n" + "\n".join(log)

def test_widgets_render_play_scrub_and_react(lab):
    "A torus mills in 3D, a run is played and scrubbed, and dragging Δr_o breaks the mill into a parallel school."
    page, root, errors = lab
    page.wait_for_function("window.jupyterapp && document.querySelector('.jp-Notebook')", timeout=120_000)
    page.wait_for_timeout(3000)
    page.evaluate("window.jupyterapp.commands.execute('notebook:run-all-cells')")
    canvases = page.locator(".jp-OutputArea-output canvas")
    canvases.nth(1).wait_for(timeout=400_000)
    page.wait_for_timeout(3000)
    view_canvas, ex_canvas = canvases.nth(0), canvases.nth(1)
    first = _pixels(view_canvas, "01_schoolview")
    assert _drawn(first) > 200, "the SchoolView canvas shows no fish"
    fills = {"01_schoolview": _fill(first)}
    play_view = page.locator(".widget-play").first.locator("button").first
    play_ex = page.locator(".widget-toggle-button").filter(has_text="run").first
    play_view.click(); page.wait_for_timeout(2500)  # play: the frames advance and the pixels change
    played = _pixels(view_canvas, "02_schoolview_playing")
    assert np.abs(played - first).sum() > 0, "pressing play did not change the picture"
    play_view.click()  # pause
    handle = page.locator(".widget-slider").filter(has_text="frame").locator(".noUi-handle").first
    handle.focus(); handle.press("End"); page.wait_for_timeout(1500)  # scrub to the last frame
    scrubbed = _pixels(view_canvas, "03_schoolview_last_frame")
    assert np.abs(scrubbed - played).sum() > 0, "scrubbing did not change the picture"
    fills["03_schoolview_last_frame"] = _fill(scrubbed)
    # the live school: let the torus form, then drag Δr_o up until the mill breaks into a parallel school
    play_ex.click()
    # the first tick compiles the kernel in the notebook's kernel (a fresh Numba cache in CI: minutes on a slow machine)
    mill = _wait_state(page, root, lambda s: s["M"] > 0.5 and s["P"] < 0.35, 400, "a mill forming")
    before = _pixels(ex_canvas, "04_explorer_mill")
    fills["04_explorer_mill"] = _fill(before)
    t0, s0, c0 = time.time(), _state(root)["step"], page.evaluate("window.__glClears")
    page.wait_for_timeout(5000)
    s1, c1, dt = _state(root)["step"], page.evaluate("window.__glClears"), time.time() - t0
    # reported, not asserted: a shared machine, and software WebGL in the browser
    rates = (f"kernel: {(s1 - s0) / 5 / dt:.1f} simulated frames per second (250 fish, 5 steps a frame, 25 asked for); "
             f"browser: {(c1 - c0) / dt:.1f} WebGL draws per second in headless Chromium (SwiftShader, no GPU)")
    (ART / "explorer_fps.txt").write_text(rates + "\n")
    print("Explorer:", rates)
    dr_o = page.locator(".widget-slider").filter(has_text="Δr_o").locator(".noUi-handle").first
    dr_o.focus()
    for _ in range(80): dr_o.press("ArrowRight")
    try:
        parallel = _wait_state(page, root, lambda s: s["dr_orientation"] >= 8 and s["P"] > 0.8, 300, "the mill breaking into a parallel school")
        after = _pixels(ex_canvas, "05_explorer_parallel")
        fills["05_explorer_parallel"] = _fill(after)
        # the leadership demonstration: a new school of 60, coloured by group, running at once; the informed fish orange, the others blue
        page.locator(".widget-button").filter(has_text="leadership demo").first.click()
        _wait_state(page, root, lambda s: s["informed"] > 0 and s["n"] == 60 and s["color"] == "group" and s["running"] and s["step"] >= 100, 120, "the leadership demonstration running")
        page.wait_for_timeout(1500)
        led = _pixels(ex_canvas, "06_explorer_leadership")
        fills["06_explorer_leadership"] = _fill(led)
    finally:  # kept for a failed run too
        page.screenshot(path=str(ART / "07_page.png"), full_page=True)
        (ART / "console_errors.txt").write_text("\n".join(errors))
        (ART / "framing.txt").write_text("".join(f"{k}: the school's bounding box covers {v:.3f} of the view\n" for k, v in fills.items()))
    print("framing:", {k: round(v, 3) for k, v in fills.items()})
    assert parallel["step"] > mill["step"] and np.abs(after - before).sum() > 0
    r, g, b = led[..., 0], led[..., 1], led[..., 2]
    orange, blue = ((r > 150) & (g > 70) & (b < r - 80)).sum(), ((b > 150) & (r < b - 80)).sum()  # heads #ff9f40 and #4aa3ff, and their blends
    assert orange > 5 and blue > 5 * orange, f"coloured by group: {orange} orange and {blue} blue pixels (6 informed fish of 60)"
    small = {k: v for k, v in fills.items() if v < MIN_FILL}
    assert not small, f"the school fills too little of the view: {small} (at least {MIN_FILL} asked; screenshots in {ART})"
    ours = [e for e in errors if any(w in e.lower() for w in ("threejs", "three.js", "widget", "dewi", "pythreejs"))]
    assert not ours, ours
