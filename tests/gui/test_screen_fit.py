"""The window on small and scaled clinic screens: it fits the screen, and what it says can be read in full."""

from __future__ import annotations

from raretrace.gui.main_window import FRAME_ROOM


def test_the_first_window_fits_the_screen_with_its_frame(qtbot, engine):
    # The window opened at 1366×768 whatever the screen: on a 1024×768 or 1280×720 screen (or 1920×1080 at 150 %)
    # its right side and its status bar, Analyse included, lay off the screen. The offscreen screen is 800×800.
    from raretrace.gui.main_window import MainWindow

    window = MainWindow()
    qtbot.addWidget(window)
    window.show()
    free = window.screen().availableGeometry()
    assert window.width() <= max(free.width() - FRAME_ROOM[0], window.minimumSizeHint().width())
    assert window.height() <= free.height() - FRAME_ROOM[1]
    window.close()

