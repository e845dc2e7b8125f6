/* test_cal.c -- dates, weeks and the years they belong to. */
#include "test_util.h"
#include "cal.h"

static void days(void **st)
{
    (void)st;
    assert_int_equal(cal_days(1957, 1, 1), 0);
    assert_int_equal(cal_days(1958, 1, 1), 365);
    assert_int_equal(cal_days(1961, 1, 1), 365 * 4 + 1);   /* 1960 is a leap year */
    assert_int_equal(cal_days(1956, 12, 31), -1);
    int y, m, d;
    cal_ymd(cal_days(1960, 2, 29), &y, &m, &d);
    assert_int_equal(y * 10000 + m * 100 + d, 19600229);
    assert_true(cal_valid(1960, 2, 29));
    assert_false(cal_valid(1959, 2, 29));
    assert_false(cal_valid(1958, 13, 1));
    assert_false(cal_valid(1958, 4, 31));
}

/* Every week belongs to one year (by its middle day); 1957-1962 have 52 or
   53 weeks and the run to 1962-12-31 has 313. */
static void weeks(void **st)
{
    (void)st;
    assert_int_equal(cal_weeks_until(cal_days(1962, 12, 31)), 313);
    int total = 0;
    for (int y = 1957; y <= 1962; y++) {
        int n = cal_first_week_of_year(y + 1) - cal_first_week_of_year(y);
        assert_true(n == 52 || n == 53);
        for (int w = cal_first_week_of_year(y); w < cal_first_week_of_year(y + 1); w++)
            assert_int_equal(cal_year_of_week(w), y);
        total += n;
    }
    assert_int_equal(cal_first_week_of_year(1957), 0);
    assert_int_equal(total, cal_first_week_of_year(1963));
    assert_int_equal(cal_doy_of_week(0), 3);
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(days), cmocka_unit_test(weeks)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
