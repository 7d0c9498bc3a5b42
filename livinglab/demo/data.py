"""Demo data: invented memberships and accounts, labelled as demo wherever they appear.

None of this describes real people or the real membership of any living-lab programme.
"""

DEMO_PASSWORD = "livinglab-demo-2026"  # nosec B105  # public on purpose: the invented demo accounts share it

# (regency code, cohort). Codes are real Kemendagri codes; membership is invented.
DEMO_MEMBERS = [
    ("3211", "Demo — Angkatan 2024"),
    ("1606", "Demo — Angkatan 2024"),
    ("3374", "Demo — Angkatan 2024"),
    ("3510", "Demo — Angkatan 2024"),
    ("3401", "Demo — Angkatan 2024"),
    ("3273", "Demo — Angkatan 2024"),
    ("3578", "Demo — Angkatan 2024"),
    ("5103", "Demo — Angkatan 2024"),
    ("3314", "Demo — Angkatan 2024"),
    ("3303", "Demo — Angkatan 2024"),
    ("1602", "Demo — Angkatan 2025"),
    ("1104", "Demo — Angkatan 2025"),
    ("1208", "Demo — Angkatan 2025"),
    ("1371", "Demo — Angkatan 2025"),
    ("1471", "Demo — Angkatan 2025"),
    ("3201", "Demo — Angkatan 2025"),
    ("3404", "Demo — Angkatan 2025"),
    ("3671", "Demo — Angkatan 2025"),
    ("5101", "Demo — Angkatan 2025"),
    ("5201", "Demo — Angkatan 2025"),
    ("5371", "Demo — Angkatan 2025"),
    ("6171", "Demo — Angkatan 2025"),
    ("6408", "Demo — Angkatan 2025"),
    ("6471", "Demo — Angkatan 2025"),
    ("7306", "Demo — Angkatan 2025"),
    ("7371", "Demo — Angkatan 2025"),
    ("7501", "Demo — Angkatan 2025"),
    ("8171", "Demo — Angkatan 2025"),
    ("9171", "Demo — Angkatan 2025"),
    ("1171", "Demo — Angkatan 2025"),
]

# (e-mail, name, role, regency code or None, language)
DEMO_ACCOUNTS = [
    ("admin@livinglab.example.org", "Admin Livinglab (demo)", "admin", None, "id"),
    ("koordinator@livinglab.example.org", "Dewi Lestari (demo)", "coordinator", None, "id"),
    ("sumedang@livinglab.example.org", "Asep Hidayat (demo)", "official", "3211", "id"),
    ("muba@livinglab.example.org", "Rahmat Saputra (demo)", "official", "1606", "id"),
    ("semarang@livinglab.example.org", "Sri Wahyuni (demo)", "official", "3374", "id"),
    ("banyuwangi@livinglab.example.org", "Agus Prasetyo (demo)", "official", "3510", "en"),
    ("peer@livinglab.example.org", "Putri Ayu Lestari (demo)", "peer", "3201", "id"),
]

# Demo piece file (without .md) → files from content/demo/attachments/ attached to it.
DEMO_ATTACHMENTS = {
    "01-arsitektur-spbe-sumedang": ["ringkasan-arsitektur-spbe-demo.pdf"],
    "25-it-service-desk-sla": ["grafik-sla-layanan-tik-demo.png"],
    "43-perizinan-daring-kutai-timur": ["alur-perizinan-daring-demo.pdf"],
}
