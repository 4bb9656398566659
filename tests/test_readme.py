"README.md is generated from nbs/index.ipynb: `python tests/test_readme.py` rewrites it."
import json, sys
from pathlib import Path
ROOT = Path(__file__).resolve().parents[1]

def render(nb_path=ROOT / "nbs" / "index.ipynb") -> str:
    cells = json.loads(Path(nb_path).read_text())["cells"]
    parts = []
    for c in cells:
        src = "".join(c["source"]).strip()
        if c["cell_type"] == "markdown": parts.append(src)
        elif src and not src.startswith("#| hide"): parts.append(f"```python\n{src}\n```")
    return "<!-- generated from nbs/index.ipynb by `python tests/test_readme.py`: edit the notebook, not this file -->\n\n" + "\n\n".join(parts) + "\n"

def test_readme_matches_index():
    assert (ROOT / "README.md").read_text() == render(), "README.md is stale: run python tests/test_readme.py"

def test_readme_has_the_two_commands():
    text = (ROOT / "README.md").read_text()
    assert text.count("```sh") == 2
    ci = (ROOT / ".ci" / "run").read_text()
    test_cmd = [l for l in text.splitlines() if "pytest" in l and l.startswith("python3")][0]
    assert test_cmd in ci, ".ci/run must run the README's test command"

if __name__ == "__main__":
    (ROOT / "README.md").write_text(render()); print("README.md written")
