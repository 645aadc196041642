def test_admin_is_german_and_titled_for_the_event(admin_client, event):
    html = admin_client.get("/admin/").content.decode()

    assert '<html lang="de"' in html
    assert "E-Government-Modellkommunen – Verwaltung" in html
    assert "Veranstaltung verwalten" in html
    assert "Textseiten" in html


def test_admin_login_sends_people_to_the_protected_account_login(client, db):
    response = client.get("/admin/login/", follow=True)

    assert response.redirect_chain[-1][0].startswith("/konto/login/?next=")
    assert response.status_code == 200
    assert "Einloggen" in response.content.decode()
