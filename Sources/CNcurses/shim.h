#ifndef LLAMATERM_CNCURSES_SHIM_H
#define LLAMATERM_CNCURSES_SHIM_H
// Wide-character ncurses. The define must precede the include, or the wide API is hidden.
#define NCURSES_WIDECHAR 1
#define _XOPEN_SOURCE_EXTENDED 1
#include <locale.h>
#include <ncursesw/curses.h>

// Globals and macros that Swift cannot import (Swift 6 rejects mutable globals; macros vanish).
static inline WINDOW *lt_stdscr(void) { return stdscr; }
static inline int lt_lines(void) { return LINES; }
static inline int lt_cols(void) { return COLS; }
static inline int lt_colors(void) { return COLORS; }
static inline int lt_color_pairs(void) { return COLOR_PAIRS; }
static inline void lt_getmaxyx(WINDOW *w, int *y, int *x) { int yy, xx; getmaxyx(w, yy, xx); *y = yy; *x = xx; }
static inline attr_t lt_a_normal(void) { return A_NORMAL; }
static inline attr_t lt_a_bold(void) { return A_BOLD; }
static inline attr_t lt_a_dim(void) { return A_DIM; }
static inline attr_t lt_a_reverse(void) { return A_REVERSE; }
static inline attr_t lt_a_underline(void) { return A_UNDERLINE; }
static inline attr_t lt_a_italic(void) { return A_ITALIC; }
static inline attr_t lt_color_pair(int n) { return COLOR_PAIR(n); }
static inline int lt_key_f(int n) { return KEY_F(n); }
static inline mmask_t lt_all_mouse_events(void) { return ALL_MOUSE_EVENTS | REPORT_MOUSE_POSITION; }
static inline mmask_t lt_button4_pressed(void) { return BUTTON4_PRESSED; }
static inline mmask_t lt_button5_pressed(void) { return BUTTON5_PRESSED; }
static inline int lt_err(void) { return ERR; }
static inline int lt_ok(void) { return OK; }
static inline int lt_key_code_yes(void) { return KEY_CODE_YES; }
static inline mmask_t lt_button1_pressed(void) { return BUTTON1_PRESSED; }
static inline mmask_t lt_button1_clicked(void) { return BUTTON1_CLICKED; }
static inline mmask_t lt_button1_released(void) { return BUTTON1_RELEASED; }
// newterm on the process's standard streams (Swift 6 cannot name the stdout/stdin globals).
static inline SCREEN *lt_newterm_std(void) { return newterm(NULL, stdout, stdin); }
// setcchar with an extended colour pair (ncurses 6 passes pairs above 32767 through `opts`).
static inline int lt_setcchar(cchar_t *cc, const wchar_t *wch, attr_t attrs, int pair) {
    return setcchar(cc, wch, attrs, (short)(pair < 32768 ? pair : 0), &pair);
}
#endif
