#!/usr/bin/perl
# business_hours.pl — due instants by Business::Hours (Debian
# libbusiness-hours-perl, the engine behind Request Tracker's SLAs) on the
# cases bench/bizcal_bench.c writes, timed.
#
# usage: business_hours.pl CASES ANSWERS MIN_CASES MIN_SECONDS
#
# CASES holds the calendar ("tz", "day ISO-WEEKDAY HH:MM-HH:MM ...",
# "holiday YYYY-MM-DD") and "case START MINUTES" lines. Answers cases in
# order until at least MIN_CASES are done and MIN_SECONDS have passed (or
# the cases run out), then writes "START MINUTES DUE" lines to ANSWERS and
# key=value lines to stdout.
#
# The question asked is RT's: add_seconds(START, MINUTES * 60), "a time
# SECONDS business seconds after START". Business::Hours takes one
# Start/End per weekday plus Breaks, so the split shift 09:00-14:00 and
# 16:00-19:00 is Start 09:00, End 19:00 with a break 14:00-16:00: the same
# business seconds. Holidays are given as full dates (YYYY-MM-DD), those
# bizcal_bench.c computes, so the two engines close on the same days.
# Business::Hours reads wall-clock time through localtime, so TZ is set to
# the calendar's zone. One object serves every case (its cheapest use).
use strict;
use warnings;

use Business::Hours;
use POSIX ();
use Time::HiRes qw(clock_gettime CLOCK_MONOTONIC);

die "usage: $0 CASES ANSWERS MIN_CASES MIN_SECONDS\n" unless @ARGV == 4;
my ($cases_path, $answers_path, $min_cases, $min_seconds) = @ARGV;

my ($tz, %hours, @holidays, @cases);
open my $in, '<', $cases_path or die "$cases_path: $!\n";
while (my $line = <$in>) {
    chomp $line;
    my ($kind, @f) = split ' ', $line;
    next unless defined $kind;
    if ($kind eq 'tz') {
        $tz = $f[0];
    } elsif ($kind eq 'day') {
        my ($iso, @iv) = @f;
        my $dow = $iso % 7;    # Business::Hours: 0 Sunday .. 6 Saturday
        my @spans = map { [ split /-/ ] } @iv;
        if (!@spans) {
            $hours{$dow} = { Name => "day $iso", Start => undef, End => undef };
            next;
        }
        $_->[1] eq '24:00' and die "Business::Hours cannot end a day at 24:00\n"
            for @spans;
        my @breaks = map { { Start => $spans[$_ - 1][1], End => $spans[$_][0] } }
            1 .. $#spans;
        $hours{$dow} = {
            Name   => "day $iso",
            Start  => $spans[0][0],
            End    => $spans[-1][1],
            Breaks => \@breaks,
        };
    } elsif ($kind eq 'holiday') {
        push @holidays, $f[0];
    } elsif ($kind eq 'case') {
        push @cases, [ @f[0, 1] ];
    } else {
        die "$cases_path: unknown line '$line'\n";
    }
}
close $in;
die "$cases_path: no tz\n" unless defined $tz;
die "$cases_path: no cases\n" unless @cases;

$ENV{TZ} = $tz;
POSIX::tzset();

my $bh = Business::Hours->new;
$bh->business_hours(%hours, holidays => \@holidays);

my @answers;
my $t0 = clock_gettime(CLOCK_MONOTONIC);
my $elapsed = 0;
for my $c (@cases) {
    push @answers, $bh->add_seconds($c->[0], $c->[1] * 60);
    $elapsed = clock_gettime(CLOCK_MONOTONIC) - $t0;
    last if @answers >= $min_cases && $elapsed >= $min_seconds;
}

open my $out, '>', $answers_path or die "$answers_path: $!\n";
for my $i (0 .. $#answers) {
    print {$out} "$cases[$i][0] $cases[$i][1] $answers[$i]\n";
}
close $out or die "$answers_path: $!\n";

my $n = @answers;
printf "n=%d\nseconds=%.3f\nops_per_s=%.3f\nns=%.1f\nversion=%s\n",
    $n, $elapsed, $n / $elapsed, $elapsed * 1e9 / $n, $Business::Hours::VERSION;
