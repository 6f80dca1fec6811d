"""An import-linter contract type: other apps reach a package through its public modules only.

``forbidden`` lists what may not be imported, so a new internal module is
allowed until someone remembers to list it. This contract lists what *may* be
imported instead: any direct import, from ``source_modules``, of a module of
``package`` that ``public_modules`` does not name fails.
"""

from __future__ import annotations

import fnmatch

import grimp
from importlinter import Contract, ContractCheck, fields, output


class PublicModulesContract(Contract):
    type_name = "public_modules"

    source_modules = fields.ListField(subfield=fields.StringField())
    package = fields.StringField()
    # Module names, shell-style wildcards allowed (``privacy.*.api``).
    public_modules = fields.ListField(subfield=fields.StringField())

    def check(self, graph: grimp.ImportGraph, verbose: bool) -> ContractCheck:
        package = str(self.package)
        public = [str(pattern) for pattern in self.public_modules]  # type: ignore[attr-defined]
        importers: set[str] = set()
        for source in self.source_modules:  # type: ignore[attr-defined]
            importers |= {str(source), *graph.find_descendants(str(source))}
        illegal = []
        for importer in sorted(importers):
            for imported in sorted(graph.find_modules_directly_imported_by(importer)):
                inside = imported == package or imported.startswith(package + ".")
                if not inside or any(fnmatch.fnmatchcase(imported, p) for p in public):
                    continue
                details = graph.get_import_details(importer=importer, imported=imported)
                lines = sorted({detail["line_number"] for detail in details})
                illegal.append({"importer": importer, "imported": imported, "lines": lines})
        return ContractCheck(kept=not illegal, warnings=[], metadata={"illegal": illegal})

    def render_broken_contract(self, check: ContractCheck) -> None:
        output.print_error(
            f"Only the public modules of {self.package} may be imported from outside it:",
            bold=False,
        )
        output.new_line()
        for link in check.metadata["illegal"]:
            lines = ", ".join(map(str, link["lines"]))
            output.print_error(
                f"- {link['importer']} -> {link['imported']} (l.{lines})", bold=False
            )
        output.new_line()
