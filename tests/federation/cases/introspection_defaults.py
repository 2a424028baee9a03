"""Default values in introspection are printed the way graphql-js prints them: the value
coerced to its type (an input object's omitted fields take their own defaults, a single value
for a list type becomes a list), then printed (enum names bare, whole floats without a
fraction, strings re-escaped, block strings as ordinary strings)."""

from tests.federation.support import Case, Probe, Subgraph, link

planning = Subgraph(
    name="planning",
    sdl=link("@shareable")
    + '''
    type Query {
      applications(
        window: Window = { days: 28 }
        statuses: [Status!] = OPEN
        wards: [String!] = ["Hulme", "Moss Side"]
        radiusKm: Float = 2.0
        scale: Float = 1.5e3
        ref: ID = "4411"
        note: String = """Say "hi"\\nthen leave"""
        empty: Window = {}
        nothing: String = null
      ): Int
    }
    input Window { days: Int = 14 from: String = "today" statuses: [Status!] = [OPEN, DECIDED] }
    enum Status { OPEN DECIDED }
    ''',
    resolvers={"Query": {"applications": lambda *_: 3}},
)

WINDOW_REST = 'from: "today", statuses: [OPEN, DECIDED]}'  # the fields' own defaults

CASE = Case(
    name="introspection-defaults",
    behaviour="introspection defaultValue: coerced to its type, then printed as graphql-js does",
    subgraphs=(planning,),
    probes=(
        Probe(
            label="argument-defaults",
            query='{ __type(name: "Query") { fields { args { name defaultValue } } } }',
            data={
                "__type": {
                    "fields": [
                        {
                            "args": [
                                {
                                    "name": "window",
                                    "defaultValue": "{days: 28, " + WINDOW_REST,
                                },
                                {"name": "statuses", "defaultValue": "[OPEN]"},
                                {"name": "wards", "defaultValue": '["Hulme", "Moss Side"]'},
                                {"name": "radiusKm", "defaultValue": "2"},
                                {"name": "scale", "defaultValue": "1500"},
                                {"name": "ref", "defaultValue": "4411"},
                                {"name": "note", "defaultValue": '"Say \\"hi\\"\\\\nthen leave"'},
                                {
                                    "name": "empty",
                                    "defaultValue": "{days: 14, " + WINDOW_REST,
                                },
                                {"name": "nothing", "defaultValue": "null"},
                            ]
                        }
                    ]
                }
            },
        ),
        Probe(
            label="input-field-defaults",
            query='{ __type(name: "Window") { inputFields { name defaultValue } } }',
            data={
                "__type": {
                    "inputFields": [
                        {"name": "days", "defaultValue": "14"},
                        {"name": "from", "defaultValue": '"today"'},
                        {"name": "statuses", "defaultValue": "[OPEN, DECIDED]"},
                    ]
                }
            },
        ),
    ),
)
