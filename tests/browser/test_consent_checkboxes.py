"""Every checkbox of the registration form sits beside its label, on the label's first
line, at phone and desktop widths."""

import pytest


@pytest.mark.parametrize("width", [360, 1280])
def test_checkboxes_sit_beside_their_labels(site, page, width):
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(site.url("/anmeldung/"))

    boxes = page.locator(".form-field-checkbox input[type=checkbox]")
    assert boxes.count() >= 2
    for index in range(boxes.count()):
        box = boxes.nth(index)
        label = page.locator(f"label[for='{box.get_attribute('id')}']")
        box_area, label_area = box.bounding_box(), label.bounding_box()
        assert box_area["x"] + box_area["width"] <= label_area["x"], "label is not beside the box"
        assert box_area["y"] < label_area["y"] + 1.6 * 16 * 1.2, "box is not on the first line"
        assert box_area["y"] + box_area["height"] > label_area["y"], "box is above the label"
