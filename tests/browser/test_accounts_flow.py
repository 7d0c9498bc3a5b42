"""A newcomer registers, signs out and in, switches language and signs out; pages pass axe-core."""

import re

import pytest
from playwright.sync_api import Page, expect

from livinglab.mail import wait_for_mail
from tests.browser.conftest import follow, serious_violations


def test_register_sign_in_switch_language_sign_out(page: Page, demo_site: str, caplog):
    page.goto(f"{demo_site}/")
    expect(page.locator("html")).to_have_attribute("lang", "id")
    page.get_by_role("link", name="Daftar").click()
    page.get_by_label("Nama lengkap").fill("Made Wirawan")
    page.get_by_label("Alamat surel").fill("made@example.org")
    page.get_by_label("Kabupaten/kota Anda (opsional)").select_option(label="Kabupaten Badung")
    with caplog.at_level("INFO"):
        page.get_by_role("button", name="Buat akun").click()
        expect(page.get_by_text("Kami telah mengirim pesan ke made@example.org.")).to_be_visible()
        wait_for_mail()
    page.goto(demo_site + re.search(r"https?://[^/\s]+(/register/finish/\S+)", caplog.text).group(1))
    page.get_by_label("Kata sandi", exact=True).fill("pendek")
    page.get_by_label("Ulangi kata sandi").fill("pendek")
    page.get_by_role("button", name="Buat akun").click()
    expect(page.get_by_text("Kata sandi harus terdiri atas minimal 10 karakter.", exact=True)).to_be_visible()
    expect(page.get_by_text("Akun Anda untuk made@example.org hampir siap.", exact=False)).to_be_visible()

    page.get_by_label("Kata sandi", exact=True).fill("babi-guling-gianyar")
    page.get_by_label("Ulangi kata sandi").fill("babi-guling-gianyar")
    page.get_by_role("button", name="Buat akun").click()
    expect(page.get_by_text("Selamat datang di Livinglab, Made Wirawan.")).to_be_visible()

    page.get_by_role("button", name="Keluar").click()
    expect(page.get_by_text("Anda telah keluar.")).to_be_visible()
    page.get_by_role("link", name="Masuk", exact=True).click()
    page.get_by_label("Alamat surel").fill("made@example.org")
    page.get_by_label("Kata sandi").fill("babi-guling-gianyar")
    page.get_by_role("button", name="Masuk").click()
    expect(page.get_by_role("link", name="Made Wirawan")).to_be_visible()

    page.get_by_role("link", name="EN", exact=True).click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()
    page.get_by_role("link", name="Regencies", exact=True).click()
    expect(page.get_by_role("heading", name="Regencies and cities")).to_be_visible()
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_text("You have been signed out.")).to_be_visible()
    expect(page.locator("html")).to_have_attribute("lang", "en")  # remembered for the visitor too


@pytest.mark.parametrize(
    "path", ["/", "/indicators", "/indicators/I01", "/regencies", "/regencies/3211", "/login", "/register"]
)
@pytest.mark.parametrize("language", ["id", "en"])
def test_pages_have_no_serious_accessibility_violations(page: Page, demo_site: str, axe, path: str, language: str):
    page.context.add_cookies([{"name": "lang", "value": language, "url": demo_site}])
    page.goto(f"{demo_site}{path}")
    assert serious_violations(axe, page) == []


def test_admin_makes_an_official_and_sees_it_in_the_audit_log(page: Page, demo_site: str, axe):
    page.goto(f"{demo_site}/login")
    page.get_by_label("Alamat surel").fill("koordinator@livinglab.example.org")
    page.get_by_label("Kata sandi").fill("livinglab-demo-2026")
    page.get_by_role("button", name="Masuk").click()
    page.get_by_role("link", name="Pengguna").click()
    page.get_by_label("Peran").select_option("peer")
    page.get_by_role("button", name="Saring").click()
    follow(page, page.get_by_role("link", name="Putri Ayu Lestari (demo)"))
    assert serious_violations(axe, page) == []
    page.get_by_label("Peran").select_option("official")
    page.get_by_label("Kabupaten/kota").select_option(label="— tidak ada —")
    page.get_by_role("button", name="Simpan peran").click()
    expect(page.get_by_text("Pejabat daerah wajib terdaftar pada satu kabupaten/kota.", exact=True)).to_be_visible()
    page.get_by_label("Kabupaten/kota").select_option(label="Kabupaten Bogor")
    page.get_by_role("button", name="Simpan peran").click()
    expect(page.get_by_text("Peran Putri Ayu Lestari (demo) telah disimpan.")).to_be_visible()
    page.get_by_role("link", name="Log audit").click()
    expect(page.get_by_role("cell", name="Peran diubah: Rekan sejawat → Pejabat daerah").first).to_be_visible()
    assert serious_violations(axe, page) == []
