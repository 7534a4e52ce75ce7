using EvGateway.Simulator.Cars;
using Microsoft.Extensions.Time.Testing;

namespace EvGateway.Tests.Simulator.Cars;

public class SimulatedCarTests
{
    private static readonly CarSpec Zoe = new("Zoe", CapacityKwh: 52, ChargePowerKw: 7.4, ConsumptionKwhPer100Km: 17);

    [Fact]
    public void A_plugged_car_that_charges_gains_energy_at_its_charge_power()
    {
        var time = new FakeTimeProvider(DateTimeOffset.Parse("2026-11-25T20:00:00Z"));
        var car = new SimulatedCar("VF1AG000X64000001", time, Zoe, level: 50, plugged: true, charging: true, odometerKm: 1000, 48.85, 2.29);

        time.Advance(TimeSpan.FromHours(1));

        var expected = 50 + 7.4 / 52 * 100;
        Assert.Equal(expected, car.Read().Level, precision: 1);
        Assert.True(car.Read().Charging);
    }

    [Fact]
    public void Charging_stops_by_itself_at_the_charge_limit()
    {
        var time = new FakeTimeProvider(DateTimeOffset.Parse("2026-11-25T20:00:00Z"));
        var car = new SimulatedCar("VF1AG000X64000001", time, Zoe, level: 70, plugged: true, charging: true, odometerKm: 1000, 48.85, 2.29);
        car.SetChargeLimit(80);

        time.Advance(TimeSpan.FromHours(5));

        var snapshot = car.Read();
        Assert.Equal(80, snapshot.Level);
        Assert.False(snapshot.Charging);
        Assert.True(snapshot.ChargeEnded);
    }

    [Fact]
    public void An_unplugged_car_cannot_start_charging()
    {
        var time = new FakeTimeProvider(DateTimeOffset.Parse("2026-11-25T20:00:00Z"));
        var car = new SimulatedCar("VF1AG000X64000001", time, Zoe, level: 40, plugged: false, charging: false, odometerKm: 1000, 48.85, 2.29);

        car.StartCharging();
        time.Advance(TimeSpan.FromHours(1));

        Assert.Equal(40, car.Read().Level);
        Assert.False(car.Read().Charging);
    }
}
