"""Name pools for synthetic residents: given names by culture, sex and era; surnames; nicknames.

Pools are tuples so that a draw is ``pool[int(rng.random() * len(pool))]``; commoner names appear
more than once to weight them.
"""

from __future__ import annotations

from dataclasses import dataclass


def _pool(*words: str) -> tuple[str, ...]:
    return tuple(w for chunk in words for w in chunk.split())


@dataclass(frozen=True)
class NameCulture:
    """Names a household draws from; British given names also vary with the birth era."""

    name: str
    share: float
    male: tuple[tuple[str, ...], ...]  # one pool per era: born before 1965, 1965-1994, 1995 on
    female: tuple[tuple[str, ...], ...]
    surnames: tuple[str, ...]


_BRITISH_SURNAMES = _pool(
    "Smith Smith Smith Jones Jones Taylor Taylor Brown Brown Williams Wilson Wilson Johnson Davies",
    "Robinson Wright Thompson Evans Walker Walker White",
    "Roberts Green Hall Hall Wood Jackson Clarke",
    "Hughes Lewis Harris Turner Hill Martin Cooper Ward Moore King Clark Baker Harrison Morris Lee",
    "Parker Bennett Young Allen Mitchell Kelly Cook Carter Richardson Bailey Collins Bell Shaw",
    "Murphy Miller Cox Richards Marshall Anderson Simpson Ellis Adams Holt Whittaker Ashworth",
    "Schofield Butterworth Pilkington Fletcher Kershaw",
    "Hargreaves Lord Ogden Barlow Howarth Heywood",
    "Greenwood Entwistle Crompton Horrocks Haworth Brierley",
    "Mellor Hulme Bradshaw Kay Platt Chadwick",
    "Lomax Unsworth Rigby Worthington Cunliffe",
    "Houghton Fairclough Atherton Gaskell Stott Tattersall",
    "O'Brien O'Neill O'Connor McDonald McCarthy McGuire",
    "Murray Doyle Kennedy Lynch Byrne Fitzgerald",
    "Brennan Gallagher Quinn Duffy Walsh Ryan",
    "Farrell Campbell Stewart Robertson Reid Grant Hamilton",
    "Jenkins Price Morgan Powell Griffiths Owen Lloyd Phillips Edwards Thomas James Hughes-Jones",
    "Armstrong Barker Booth Chapman Dixon Dawson Hunt Knight Lawrence Mason Palmer Pearson Riley",
    "Russell Stevens Sutton Walsh Webb Wells Yates Gibson Hudson Holmes Newton Spencer Lowe Brooks",
)

BRITISH = NameCulture(
    name="british",
    share=0.80,
    male=(
        _pool(
            "John John David David Michael Peter Robert",
            "Paul Stephen Brian Alan Anthony William James",
            "Christopher Richard Kenneth Thomas Ronald George",
            "Keith Graham Barry Colin Derek Raymond",
            "Dennis Frank Harold Roy Geoffrey Terence Trevor Malcolm Philip Edward Gordon Leslie",
            "Frederick Arthur Norman Bernard Albert Donald Henry Samuel Joseph",
        ),
        _pool(
            "David David Paul Paul Mark Andrew Michael Christopher Stephen Darren Jason Lee Craig",
            "Matthew Daniel James Richard Robert Simon Wayne",
            "Gary Steven Neil Carl Dean Adam Thomas",
            "Anthony Ian Jonathan Martin Scott Ryan",
            "Liam Jamie Kevin Shaun Nicholas Benjamin Samuel",
            "Joseph Philip Timothy Gregory Edward Alexander William",
        ),
        _pool(
            "Oliver Oliver Jack Jack Harry Charlie George",
            "Jacob Noah Thomas Joshua Alfie William Leo",
            "James Oscar Freddie Archie Henry Theo Arthur",
            "Isaac Samuel Joseph Max Ethan Lucas Daniel",
            "Logan Alexander Mason Dylan Riley Finley Tyler Callum Benjamin Nathan Ryan Lewis Kai",
            "Zachary Matthew Frederick Jonathan Edward",
        ),
    ),
    female=(
        _pool(
            "Margaret Margaret Patricia Susan Christine Linda Barbara Elizabeth Mary Jean Carol",
            "Pauline Janet Maureen Kathleen Sandra Brenda Valerie Irene Dorothy Joan Sheila Anne",
            "Jacqueline Gillian Jennifer Pamela Doreen Marjorie",
            "Eileen Joyce Hilda Betty Judith Lynne",
            "Wendy Julie Diane Beryl Vera Catherine Deborah",
        ),
        _pool(
            "Sarah Sarah Claire Emma Nicola Lisa Joanne Michelle Helen Rachel Karen Louise Kelly",
            "Rebecca Laura Amanda Samantha Gemma Victoria Julie Jennifer Donna Natalie Catherine",
            "Elizabeth Kerry Stacey Lindsey Hayley Dawn Tracey Jessica Charlotte Amy Kirsty Zoe",
            "Leanne Danielle Kimberley Deborah Alison Katherine Christine Susan Alexandra",
        ),
        _pool(
            "Olivia Olivia Amelia Amelia Isla Ava Emily Sophia Grace Mia Poppy Ella Lily Evie",
            "Isabella Sophie Freya Charlotte Daisy Ruby Jessica Chloe Millie Phoebe Florence Ellie",
            "Erin Holly Lucy Evelyn Alice Scarlett",
            "Matilda Rosie Harper Eva Elizabeth Hannah Maisie",
            "Abigail Katie Megan Eleanor Victoria Rebecca Samantha Alexandra",
        ),
    ),
    surnames=_BRITISH_SURNAMES,
)

_SOUTH_ASIAN_MALE = _pool(
    "Muhammad Muhammad Mohammed Mohammed Ahmed Ali Hassan Hussain Imran Adnan Bilal Usman Zain",
    "Ibrahim Yusuf Omar Tariq Asif Khalid Shahid Rizwan Amir Arjun Rahul Sanjay Vikram Ravi Haroon",
    "Faisal Kamran Naveed Zubair Ayaan Rehan",
)
_SOUTH_ASIAN_FEMALE = _pool(
    "Fatima Fatima Ayesha Aisha Zainab Maryam Amina Sana Noor Hina Saima Nadia Shazia Rubina",
    "Yasmin Samina Priya Anjali Sunita Parveen Nazia Iqra Hafsa Khadija Mariam Safa Alisha Inaya",
    "Zara Hira Sadia Humaira",
)
SOUTH_ASIAN = NameCulture(
    name="south_asian",
    share=0.12,
    male=(_SOUTH_ASIAN_MALE,) * 3,
    female=(_SOUTH_ASIAN_FEMALE,) * 3,
    surnames=_pool(
        "Khan Khan Khan Hussain Hussain Ahmed Ahmed Ali Ali Begum Akhtar Iqbal Rahman Mahmood Shah",
        "Patel Patel Ahmad Bibi Javed Malik Rashid",
        "Aslam Mirza Siddiqui Chaudhry Anwar Qureshi Uddin",
        "Islam Sharma Kaur Singh Mistry Parekh Hassan Nawaz",
    ),
)

_POLISH_MALE = _pool(
    "Jakub Kacper Szymon Mateusz Piotr Tomasz Krzysztof Pawel Marcin Michal Lukasz Adam"
)
_POLISH_FEMALE = _pool(
    "Anna Katarzyna Magdalena Agnieszka Joanna Monika Aleksandra Natalia Zuzanna Julia"
)
POLISH = NameCulture(
    name="polish",
    share=0.025,
    male=(_POLISH_MALE,) * 3,
    female=(_POLISH_FEMALE,) * 3,
    surnames=_pool(
        "Nowak Kowalski Wisniewski Wojcik Kowalczyk Kaminski Lewandowski Zielinski Szymanski",
        "Wozniak Dabrowski Kozlowski Jankowski Mazur Krawczyk",
    ),
)

_WEST_AFRICAN_MALE = _pool(
    "Chinedu Emeka Oluwaseun Tunde Kwame Kofi Femi Obinna Chukwuemeka Ade Ibrahim David Samuel",
    "Daniel Emmanuel Joshua",
)
_WEST_AFRICAN_FEMALE = _pool(
    "Chioma Ngozi Adaeze Funmilayo Abena Ama Folake Blessing Grace Precious Favour Esther Ruth",
    "Joy Temitope Deborah",
)
WEST_AFRICAN = NameCulture(
    name="west_african",
    share=0.035,
    male=(_WEST_AFRICAN_MALE,) * 3,
    female=(_WEST_AFRICAN_FEMALE,) * 3,
    surnames=_pool(
        "Okafor Adeyemi Mensah Okoro Oluwole Asante Boateng Adebayo Eze Nwosu Ogunleye Owusu",
        "Obi Afolabi Mohamed Abdi",
    ),
)

_CHINESE_MALE = _pool("Wei Jun Hao Ming Jian Lei Yang Kai Bo Daniel")
_CHINESE_FEMALE = _pool("Mei Li Xin Yan Ling Hui Jing Fang Yu Qian")
CHINESE = NameCulture(
    name="chinese",
    share=0.02,
    male=(_CHINESE_MALE,) * 3,
    female=(_CHINESE_FEMALE,) * 3,
    surnames=_pool("Chen Wang Li Zhang Liu Wong Lam Cheung Ng Ho Yang Huang Lin Zhou Xu"),
)

CULTURES: tuple[NameCulture, ...] = (BRITISH, SOUTH_ASIAN, POLISH, WEST_AFRICAN, CHINESE)

#: Given name -> the short forms people give instead (``Robert`` -> ``Bob``, ``Rob``).
NICKNAMES: dict[str, tuple[str, ...]] = {
    "Robert": ("Bob", "Rob", "Bobby"),
    "William": ("Bill", "Will", "Billy"),
    "Elizabeth": ("Liz", "Beth", "Lizzie"),
    "Margaret": ("Maggie", "Peggy", "Meg"),
    "Katherine": ("Kate", "Kathy"),
    "Catherine": ("Cath", "Cathy", "Kate"),
    "James": ("Jim", "Jimmy", "Jamie"),
    "Michael": ("Mike", "Mick"),
    "Thomas": ("Tom", "Tommy"),
    "Christopher": ("Chris",),
    "Anthony": ("Tony",),
    "Richard": ("Rich", "Dick"),
    "Joseph": ("Joe",),
    "Daniel": ("Dan", "Danny"),
    "Matthew": ("Matt",),
    "Jennifer": ("Jenny", "Jen"),
    "Rebecca": ("Becky", "Becca"),
    "Susan": ("Sue",),
    "Patricia": ("Pat", "Trish"),
    "Deborah": ("Debbie", "Debs"),
    "Samantha": ("Sam",),
    "Jessica": ("Jess",),
    "Alexander": ("Alex",),
    "Benjamin": ("Ben",),
    "Nicholas": ("Nick",),
    "Jonathan": ("Jon",),
    "Andrew": ("Andy", "Drew"),
    "David": ("Dave",),
    "Stephen": ("Steve",),
    "Steven": ("Steve",),
    "Edward": ("Ed", "Ted", "Eddie"),
    "Victoria": ("Vicky", "Tori"),
    "Charlotte": ("Charlie", "Lottie"),
    "Abigail": ("Abbie", "Abby"),
    "Oliver": ("Ollie",),
    "Frederick": ("Fred", "Freddie"),
    "Harold": ("Harry",),
    "Henry": ("Harry",),
    "Kenneth": ("Ken", "Kenny"),
    "Ronald": ("Ron", "Ronnie"),
    "Donald": ("Don",),
    "Peter": ("Pete",),
    "Philip": ("Phil",),
    "Timothy": ("Tim",),
    "Gregory": ("Greg",),
    "Samuel": ("Sam",),
    "Zachary": ("Zac",),
    "Christine": ("Chris", "Chrissie"),
    "Dorothy": ("Dot", "Dottie"),
    "Barbara": ("Babs",),
    "Pamela": ("Pam",),
    "Sandra": ("Sandy",),
    "Jacqueline": ("Jackie",),
    "Kimberley": ("Kim",),
    "Alexandra": ("Alex", "Lexi"),
    "Eleanor": ("Ellie", "Nell"),
    "Isabella": ("Bella", "Izzy"),
    "Amelia": ("Millie",),
    "Joshua": ("Josh",),
    "Nathan": ("Nate",),
    "Terence": ("Terry",),
    "Raymond": ("Ray",),
    "Leslie": ("Les",),
    "Gillian": ("Gill",),
    "Valerie": ("Val",),
    "Joanne": ("Jo",),
    "Nicola": ("Nicky",),
    "Natalie": ("Nat",),
    "Kathleen": ("Kath",),
    "Muhammad": ("Mo",),
    "Mohammed": ("Mo",),
    "Arthur": ("Art",),
    "Gordon": ("Gordy",),
    "Albert": ("Bert", "Albie"),
    "Bernard": ("Bernie",),
    "Derek": ("Del",),
    "Jason": ("Jay",),
    "Lindsey": ("Lindz",),
}

#: Parts of synthetic street addresses.
STREET_NAMES = _pool(
    "Albert Victoria Church Station Queen King Park Mill Chapel High Market Manchester Oldham",
    "Bolton Bury Rochdale Wigan Stockport Stamford Moss Lees Oak Elm Ash Beech Willow Cedar Rowan",
    "Hollin Hawthorn Cotton Canal Bridge Spring Cross Grange Heaton Moor Clough Brook Dale Lime",
    "Dean Princess Wellington Nelson Peel Derby Stanley Egerton Grosvenor Clarendon Tame Irwell",
    "Mersey Medlock Pennine Kersal Chorlton Didsbury Withington Ladybarn Platt Slade Shaw Crompton",
)
STREET_KINDS = _pool(
    "Road Road Road Street Street Street Avenue Avenue Close Lane Drive Grove Way Crescent Terrace",
    "Gardens Walk Place",
)
#: How agencies abbreviate street kinds when typing an address.
STREET_ABBREVIATIONS: dict[str, str] = {
    "Road": "Rd",
    "Street": "St",
    "Avenue": "Ave",
    "Close": "Cl",
    "Lane": "Ln",
    "Drive": "Dr",
    "Grove": "Gr",
    "Crescent": "Cres",
    "Terrace": "Terr",
    "Gardens": "Gdns",
    "Place": "Pl",
}
BLOCK_NAMES = _pool(
    "Albert Victoria Peel Irwell Tame Mersey Medlock Pennine Moorside Parkside Millbank"
)
