"""Every action code the code records has a human label; labels show in the log, CSV and API.

The completeness check reads the source (no test run needs to reach a code path): each
``audit_record(action=…)`` call's action is a string literal, an f-string around a parameter or
local, a concatenation, a conditional expression, or a name bound to literals; parameters are
followed to the literal arguments of every call of their function. A call it cannot resolve
fails the test: write the code as a literal.
"""

from __future__ import annotations

import ast
import itertools
from pathlib import Path

import ctpat
from ctpat.core import audit_labels

SRC = Path(ctpat.__file__).resolve().parent


class Unresolvable(Exception):
    pass


def _modules() -> list[tuple[Path, ast.Module]]:
    modules = []
    for path in sorted(SRC.rglob("*.py")):
        parts = set(path.relative_to(SRC).parts)
        if "tests" in parts or "migrations" in parts:
            continue
        modules.append((path, ast.parse(path.read_text(), filename=str(path))))
    return modules


def _call_name(call: ast.Call) -> str:
    if isinstance(call.func, ast.Name):
        return call.func.id
    if isinstance(call.func, ast.Attribute):
        return call.func.attr
    return ""


class _Index:
    """Functions (with their enclosing function for each call) across the code base."""

    def __init__(self, modules):
        self.functions: dict[str, list[ast.FunctionDef]] = {}
        self.calls: list[tuple[ast.Call, ast.FunctionDef | None, Path]] = []
        for path, tree in modules:
            self._walk(tree, None, path)

    def _walk(self, node, function, path):
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef):
                self.functions.setdefault(child.name, []).append(child)
                self._walk(child, child, path)
                continue
            if isinstance(child, ast.Call):
                self.calls.append((child, function, path))
            self._walk(child, function, path)

    def resolve(self, expr, function, depth: int = 0) -> set[str]:
        if depth > 5:
            raise Unresolvable("too deep")
        if isinstance(expr, ast.Constant) and isinstance(expr.value, str):
            return {expr.value}
        if isinstance(expr, ast.JoinedStr):
            options = []
            for part in expr.values:
                if isinstance(part, ast.Constant):
                    options.append({part.value})
                elif isinstance(part, ast.FormattedValue) and part.format_spec is None:
                    options.append(self.resolve(part.value, function, depth + 1))
                else:
                    raise Unresolvable(ast.unparse(expr))
            return {"".join(combo) for combo in itertools.product(*options)}
        if isinstance(expr, ast.BinOp) and isinstance(expr.op, ast.Add):
            left = self.resolve(expr.left, function, depth + 1)
            right = self.resolve(expr.right, function, depth + 1)
            return {a + b for a in left for b in right}
        if isinstance(expr, ast.IfExp):
            return self.resolve(expr.body, function, depth + 1) | self.resolve(
                expr.orelse, function, depth + 1
            )
        if isinstance(expr, ast.Name) and function is not None:
            return self._resolve_name(expr.id, function, depth)
        raise Unresolvable(ast.unparse(expr))

    def _resolve_name(self, name: str, function, depth: int) -> set[str]:
        values: set[str] = set()
        assigned = False
        for node in ast.walk(function):
            if isinstance(node, ast.Assign) and any(
                isinstance(t, ast.Name) and t.id == name for t in node.targets
            ):
                assigned = True
                values |= self.resolve(node.value, function, depth + 1)
        if assigned:
            return values
        args = function.args
        positional = [a.arg for a in args.posonlyargs + args.args]
        if name not in positional + [a.arg for a in args.kwonlyargs]:
            raise Unresolvable(f"{name} in {function.name}")
        index = positional.index(name) if name in positional else None
        if isinstance(function.args, ast.arguments):
            defaults = dict(
                zip(positional[len(positional) - len(args.defaults) :], args.defaults, strict=True)
            )
            defaults.update(
                {a.arg: d for a, d in zip(args.kwonlyargs, args.kw_defaults, strict=True) if d}
            )
            if name in defaults and not (
                isinstance(defaults[name], ast.Constant) and defaults[name].value is None
            ):
                values |= self.resolve(defaults[name], function, depth + 1)
        callers = [
            (call, caller)
            for call, caller, _path in self.calls
            if _call_name(call) == function.name
        ]
        if not callers:
            raise Unresolvable(f"{name}: nobody calls {function.name}")
        for call, caller in callers:
            argument = next((k.value for k in call.keywords if k.arg == name), None)
            if argument is None and index is not None:
                offset = 1 if positional and positional[0] in ("self", "cls") else 0
                if index - offset < len(call.args):
                    argument = call.args[index - offset]
            if argument is None:
                continue  # the default applies
            values |= self.resolve(argument, caller, depth + 1)
        return values


def recorded_action_codes() -> tuple[set[str], list[str]]:
    """(every action code the code can record, the calls that could not be resolved)."""
    index = _Index(_modules())
    codes, problems = set(), []
    for call, function, path in index.calls:
        if _call_name(call) != "audit_record":
            continue
        action = next((k.value for k in call.keywords if k.arg == "action"), None)
        if action is None:
            continue  # the definition's own recursion guard, or **kwargs forwarding
        try:
            codes |= index.resolve(action, function)
        except Unresolvable as exc:
            problems.append(f"{path.relative_to(SRC)}:{call.lineno}: {exc}")
    return codes, problems


def test_the_source_scan_finds_the_known_action_codes():
    codes, problems = recorded_action_codes()
    assert not problems, "Cannot tell which action these record:\n" + "\n".join(problems)
    # Literal, f-string over a parameter, local assigned in branches, parameter passed on.
    assert {
        "partner.transition",
        "tradecompliance.application_submit",
        "email.sent",
        "email.failed",
        "svi.accept",
        "anl.letter_acknowledge",
    } <= codes


def test_every_recorded_action_code_has_a_label():
    codes, _ = recorded_action_codes()
    labelled = audit_labels.registered_actions()
    missing = sorted(codes - set(labelled))
    assert not missing, (
        "Audit actions without a human label; add them to the app's audit_labels.py:\n"
        + "\n".join(missing)
    )
