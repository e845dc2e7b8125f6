/* cal.c -- calendar arithmetic (see cal.h).  days_from_civil is Howard
   Hinnant's algorithm (public domain description, chrono-Compatible). */
#include "cal.h"

static long days_from_civil(long y, int m, int d)
{
    y -= m <= 2;
    long era = (y >= 0 ? y : y - 399) / 400;
    long yoe = y - era * 400;
    long doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

static void civil_from_days(long z, int *y, int *m, int *d)
{
    z += 719468;
    long era = (z >= 0 ? z : z - 146096) / 146097;
    long doe = z - era * 146097;
    long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    long yy = yoe + era * 400;
    long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    long mp = (5 * doy + 2) / 153;
    *d = (int)(doy - (153 * mp + 2) / 5 + 1);
    *m = (int)(mp < 10 ? mp + 3 : mp - 9);
    *y = (int)(yy + (*m <= 2));
}

static long epoch(void) { return days_from_civil(CAL_EPOCH_YEAR, 1, 1); }

int cal_days(int y, int m, int d) { return (int)(days_from_civil(y, m, d) - epoch()); }

void cal_ymd(int days, int *y, int *m, int *d) { civil_from_days(days + epoch(), y, m, d); }

bool cal_valid(int y, int m, int d)
{
    if (m < 1 || m > 12 || d < 1 || d > 31 || y < 1 || y > 9999) return false;
    int yy, mm, dd;
    cal_ymd(cal_days(y, m, d), &yy, &mm, &dd);
    return yy == y && mm == m && dd == d;
}

int cal_days_of(int ymd) { return cal_days(ymd / 10000, ymd / 100 % 100, ymd % 100); }

int cal_yyyymmdd(int days)
{
    int y, m, d;
    cal_ymd(days, &y, &m, &d);
    return y * 10000 + m * 100 + d;
}

static int floordiv(int a, int b) { return a >= 0 ? a / b : -((-a + b - 1) / b); }

int cal_week_of_day(int days) { return floordiv(days, 7); }

int cal_year_of_week(int week)
{
    int y, m, d;
    cal_ymd(7 * week + 3, &y, &m, &d);
    return y;
}

int cal_first_week_of_year(int year)
{
    /* smallest w with 7w+3 >= cal_days(year,1,1) */
    int jan1 = cal_days(year, 1, 1);
    return floordiv(jan1 - 3 + 6, 7);
}

int cal_weeks_until(int end_day) { return floordiv(end_day - 3, 7) + 1; }

int cal_last_year(int end_yyyymmdd) { return cal_year_of_week(cal_weeks_until(cal_days_of(end_yyyymmdd)) - 1); }

int cal_last_full_year(int end_yyyymmdd)
{
    int n = cal_weeks_until(cal_days_of(end_yyyymmdd)), y = cal_year_of_week(n - 1);
    return n >= cal_first_week_of_year(y + 1) ? y : y - 1;
}

int cal_doy_of_week(int week)
{
    int mid = 7 * week + 3;
    return mid - cal_days(cal_year_of_week(week), 1, 1);
}
