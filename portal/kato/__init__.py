"""Importing KATO, the classifier of administrative-territorial units, and populations.

The Bureau of National Statistics publishes KATO as a table with the columns
`TE, AB, CD, EF, HIJ, K, NAME_KAZ, NAME_RUS, NN`: TE is the nine-digit code,
AB/CD/EF/HIJ its parts. The classifier states neither a unit's level nor its parent;
both are read off the code's structure and the abbreviation in the Russian name:

    AB 00 00 000  a region ("... область") or a city of republican significance ("г.")
    AB CD 00 000  a city administration ("Семей Г.А.", CD 10-29) or a district
                  ("район", CD 30-79); under a city of republican significance, a city
                  district
    AB CD EF 000  under a city administration: the city itself ("г.Семей", EF 10) or a
                  city district ("р.а."); under a district: a town administration
                  ("г.а.", EF 20-29); anywhere: a rural district ("с.о."), a village
                  administration ("с.а.") or a settlement administration ("п.а.")
    AB CD EF H00  a town ("г."), a settlement ("п."), a city district ("район") or
                  otherwise a village ("с.", stations, sidings, farms)
    AB CD EF Hnn  a minor locality under the village H00: a settlement ("п.") or else
                  a village

The parent is the nearest code above that exists: ABCDEFH00, ABCDEF000, ABCD00000,
AB0000000. Both rules reproduce every parent of the 2022 classifier (see
tests/portal/test_import_kato.py).

Both imports read CSV or XLSX the same way (`read_table`). All nine columns must be
there, K and NN may be empty; AB, CD, EF and HIJ, where given, must repeat TE's digits.

Imports run in one transaction: a broken row stops the import, with the row's number
(the header is row 1) and the reason, and nothing is written. Every refusal is an
`ImportFailed` with a stable code (`kato_...`, `population_...`; listed in `CODES`) and
a translated message; the management commands raise it as an `ImportCommandError`,
which keeps the code.
"""

from portal.kato.classifier import KatoResult, import_classifier
from portal.kato.levels import depth, infer_level, parent_candidates
from portal.kato.population import PopulationResult, import_population
from portal.kato.tables import (
    CODES,
    ImportCode,
    ImportCommandError,
    ImportFailed,
    Row,
    read_table,
)

__all__ = [
    "CODES",
    "ImportCode",
    "ImportCommandError",
    "ImportFailed",
    "KatoResult",
    "PopulationResult",
    "Row",
    "depth",
    "import_classifier",
    "import_population",
    "infer_level",
    "parent_candidates",
    "read_table",
]
