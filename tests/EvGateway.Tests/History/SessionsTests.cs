using EvGateway.History;
using EvGateway.Vehicles;

namespace EvGateway.Tests.History;

public sealed class SessionsTests
{
    private const string Vin = "VR3UHZKXZL0000000";
    private const double Capacity = 52;
    private static readonly DateTimeOffset Evening = new(2026, 11, 28, 18, 0, 0, TimeSpan.Zero);

    [Fact]
    public void A_drive_is_one_trip_from_the_last_parked_sample_to_the_first_sample_at_the_destination()
    {
        var samples = new[]
        {
            Parked(0, odometer: 1253, level: 80, lat: 48.81),
            Parked(10, odometer: 1253, level: 80, lat: 48.81),
            Moving(30, odometer: 1275, level: 76, lat: 48.7),
            Moving(60, odometer: 1295, level: 72, lat: 48.6),
            Parked(90, odometer: 1295, level: 72, lat: 48.6),
        };

        var trip = Assert.Single(Sessions.Trips(samples, Capacity));

        Assert.Equal(Evening.AddMinutes(10), trip.Start);
        Assert.Equal(Evening.AddMinutes(60), trip.End);
        Assert.Equal(42, trip.DistanceKm);
        Assert.Equal(4.16, trip.EnergyKwh!.Value, precision: 3);
        Assert.Equal(9.9, trip.ConsumptionKwhPer100Km!.Value, precision: 2);
        Assert.Equal((80.0, 72.0), (trip.StartLevel, trip.EndLevel));
        Assert.Equal(48.81, trip.StartLocation!.Latitude);
        Assert.Equal(48.6, trip.EndLocation!.Latitude);
    }

    [Fact]
    public void Samples_in_any_order_and_repeated_give_the_same_trips()
    {
        var samples = new[]
        {
            Parked(0, 1000, 90), Moving(20, 1010, 88), Parked(40, 1010, 88),
            Parked(300, 1010, 88), Moving(320, 1030, 84), Parked(340, 1030, 84),
        };

        var shuffled = samples.Reverse().Concat(samples.Take(3)).ToArray();

        Assert.Equal(Sessions.Trips(samples, Capacity), Sessions.Trips(shuffled, Capacity));
        Assert.Equal([10.0, 20.0], Sessions.Trips(shuffled, Capacity).Select(t => t.DistanceKm));
    }

    [Fact]
    public void A_drive_seen_only_before_and_after_is_still_a_trip_and_a_lower_odometer_glitch_is_ignored()
    {
        var samples = new[] { Parked(0, 1000, 90), Parked(30, 999, 90), Parked(240, 1050, 80), Parked(250, 1050, 80) };

        var trip = Assert.Single(Sessions.Trips(samples, Capacity));

        Assert.Equal((Evening, Evening.AddMinutes(240)), (trip.Start, trip.End));
        Assert.Equal(50, trip.DistanceKm);
        Assert.Equal(5.2, trip.EnergyKwh!.Value, precision: 3);
    }

    [Fact]
    public void Without_a_capacity_or_levels_a_trip_has_its_distance_but_no_energy()
    {
        var samples = new[] { Parked(0, 1000, null), Parked(60, 1012, null) };

        var trip = Assert.Single(Sessions.Trips(samples, Capacity));
        var unknownCapacity = Assert.Single(Sessions.Trips([Parked(0, 1000, 90), Parked(60, 1012, 88)], null));

        Assert.Equal(12, trip.DistanceKm);
        Assert.Null(trip.EnergyKwh);
        Assert.Null(trip.ConsumptionKwhPer100Km);
        Assert.Null(unknownCapacity.EnergyKwh);
    }

    [Fact]
    public void A_night_charge_is_one_session_from_the_first_charging_sample_to_the_first_one_that_is_not()
    {
        var samples = new[]
        {
            Parked(0, 1295, 50),
            Charging(240, 1295, 52, 7.4),
            Charging(300, 1295, 66, 7.4),
            Charging(360, 1295, 80, 6.1),
            Parked(420, 1295, 90, ChargeState.Ended),
            Parked(600, 1295, 90),
        };

        var session = Assert.Single(Sessions.Charges(samples, Capacity));

        // The two points gained before the first charging sample took 1.04 kWh / 7.4 kW: the start is put back by that.
        Assert.Equal(Evening.AddMinutes(240) - TimeSpan.FromHours(2 * Capacity / 100 / 7.4), session.Start);
        Assert.Equal(Evening.AddMinutes(420), session.End);
        Assert.Equal((50.0, 90.0), (session.StartLevel, session.EndLevel));
        Assert.Equal(20.8, session.EnergyKwh!.Value, precision: 3);
        Assert.Equal(7.4, session.MaxPowerKw);
        Assert.NotNull(session.Location);
    }

    [Fact]
    public void A_charge_still_going_has_no_end_and_counts_the_energy_so_far()
    {
        var samples = new[] { Parked(0, 1000, 40), Charging(10, 1000, 42, 7), Charging(70, 1000, 55, 7) };

        var session = Assert.Single(Sessions.Charges(samples.Reverse(), Capacity));

        Assert.Null(session.End);
        Assert.Null(session.EndLevel);
        Assert.Equal(15 * Capacity / 100, session.EnergyKwh!.Value, precision: 3);
    }

    [Fact]
    public void A_level_that_rose_while_parked_with_no_charging_sample_seen_is_a_session_between_the_two_samples()
    {
        var samples = new[] { Parked(0, 1000, 40), Parked(600, 1000, 75), Parked(700, 1000, 75) };

        var session = Assert.Single(Sessions.Charges(samples, Capacity));

        Assert.Equal((Evening, Evening.AddMinutes(600)), (session.Start, session.End));
        Assert.Equal(35 * Capacity / 100, session.EnergyKwh!.Value, precision: 3);
    }

    [Fact]
    public void Level_jitter_and_a_drive_are_not_charges_and_a_drive_ends_a_charge()
    {
        var jitter = new[] { Parked(0, 1000, 40), Parked(10, 1000, 40.5), Parked(20, 1000, 40) };
        var driveAway = new[] { Charging(0, 1000, 40, 7), Charging(60, 1000, 53, 7), Charging(90, 1010, 60, 7) };

        Assert.Empty(Sessions.Charges(jitter, Capacity));
        var sessions = Sessions.Charges(driveAway, Capacity);
        Assert.Equal(2, sessions.Count);
        Assert.Equal((Evening.AddMinutes(60), 53.0), (sessions[0].End!.Value, sessions[0].EndLevel!.Value));
    }

    private static HistorySample Parked(int minutes, double odometer, double? level, ChargeState state = ChargeState.NotCharging,
        double lat = 48.8) => Sample(minutes, odometer, level, state, null, lat);

    private static HistorySample Moving(int minutes, double odometer, double level, double lat = 48.8) =>
        Sample(minutes, odometer, level, ChargeState.NotCharging, null, lat);

    private static HistorySample Charging(int minutes, double odometer, double level, double power) =>
        Sample(minutes, odometer, level, ChargeState.Charging, power, 48.8);

    private static HistorySample Sample(int minutes, double odometer, double? level, ChargeState state, double? power, double lat)
    {
        var at = Evening.AddMinutes(minutes);
        return new HistorySample(Vin, at, at, level, null, odometer, state == ChargeState.Charging ? PlugState.Plugged : PlugState.Unplugged,
            state, power, lat, 2.3);
    }
}
