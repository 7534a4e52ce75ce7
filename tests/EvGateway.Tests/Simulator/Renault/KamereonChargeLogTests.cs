using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using EvGateway.Simulator.Renault;
using EvGateway.Tests.TestSupport;
using static EvGateway.Tests.TestSupport.RenaultSimulatorSession;

namespace EvGateway.Tests.Simulator.Renault;

public class KamereonChargeLogTests
{
    private const string Vin = RenaultCloud.DemoZoePhase2Vin;

    [Fact]
    public async Task The_charges_route_lists_the_charges_the_car_made_in_the_recorded_shape()
    {
        await using var session = await StartAsync();
        var car = session.Cloud.Car(Vin);
        // The demo car is charging when the simulator starts; that charge ends here, having added nothing.
        car.StopCharging();
        session.Time.Advance(TimeSpan.FromHours(1));
        car.SetLevel(40);
        car.StartCharging();
        var start = session.Time.GetUtcNow();
        session.Time.Advance(TimeSpan.FromHours(2));
        car.StopCharging();
        var day = Day(start);
        var jwt = await session.LoggedInJwtAsync();

        var charges = (await session.AttributesAsync(CarPath(Vin, "v1", "charges"), jwt, $"&start={Day(start.AddDays(-1))}&end={day}"))["charges"]!.AsArray();

        var recorded = JsonNode.Parse(RenaultPayloads.Text("charges.json"))!["data"]!["attributes"]!["charges"]![0]!.AsObject();
        var charge = charges.Single(c => DateTimeOffset.Parse((string)c!["chargeStartDate"]!, CultureInfo.InvariantCulture) == Truncated(start))!.AsObject();
        Assert.Equal(recorded.Select(p => p.Key).Order(), charge.Select(p => p.Key).Order());
        Assert.Equal(Truncated(start.AddHours(2)), DateTimeOffset.Parse((string)charge["chargeEndDate"]!, CultureInfo.InvariantCulture));
        Assert.Equal(120, (int)charge["chargeDuration"]!);
        var gained = (int)Math.Round(2 * car.Spec.ChargePowerKw / car.Spec.CapacityKwh * 100);
        Assert.Equal((40, 40 + gained, gained), ((int)charge["chargeStartBatteryLevel"]!, (int)charge["chargeEndBatteryLevel"]!, (int)charge["chargeBatteryLevelRecovered"]!));
        Assert.Equal(car.Spec.ChargePowerKw, (double)charge["chargeStartInstantaneousPower"]!);

        // A day range that ends before the charge leaves it out.
        var before = (await session.AttributesAsync(CarPath(Vin, "v1", "charges"), jwt, $"&start={Day(start.AddDays(-3))}&end={Day(start.AddDays(-2))}"))["charges"]!;
        Assert.Empty(before.AsArray());

        var summaries = (await session.AttributesAsync(CarPath(Vin, "v1", "charge-history"), jwt, $"&type=day&start={day}&end={day}"))["chargeSummaries"]!.AsArray();
        var summary = Assert.Single(summaries)!;
        Assert.Equal(day, (string)summary["day"]!);
        Assert.Equal(charges.Count(c => ((string)c!["chargeStartDate"]!).StartsWith(start.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), StringComparison.Ordinal)),
            (int)summary["totalChargesNumber"]!);
    }

    [Theory]
    [InlineData("&start=2026-11-01&end=20261130")]
    [InlineData("&start=20261130&end=20261101")]
    [InlineData("&end=20261130")]
    public async Task The_charges_route_refuses_a_missing_malformed_or_reversed_date_as_the_cloud_does(string query)
    {
        await using var session = await StartAsync();
        var jwt = await session.LoggedInJwtAsync();

        using var answer = await session.KamereonGetAsync(CarPath(Vin, "v1", "charges"), jwt, query: "?country=FR" + query);

        Assert.Equal(HttpStatusCode.BadRequest, answer.StatusCode);
        var body = await BodyAsync(answer);
        var recorded = JsonNode.Parse(RenaultPayloads.Text("invalid_date.json"))!;
        Assert.Equal((string)recorded["type"]!, (string)body["type"]!);
        Assert.Equal((string)recorded["errors"]![0]!["errorCode"]!, await ErrorCodeAsync(answer));
    }

    [Fact]
    public async Task A_megane_has_no_charge_list_and_is_answered_not_found()
    {
        await using var session = await StartAsync();
        var jwt = await session.LoggedInJwtAsync();

        using var answer = await session.KamereonGetAsync(CarPath(RenaultCloud.DemoMeganeVin, "v1", "charges"), jwt,
            query: "?country=FR&start=20261101&end=20261130");

        Assert.Equal(HttpStatusCode.NotFound, answer.StatusCode);
        Assert.Equal("err.func.wired.notFound", await ErrorCodeAsync(answer));
    }

    private static string Day(DateTimeOffset at) => at.UtcDateTime.ToString("yyyyMMdd", CultureInfo.InvariantCulture);

    private static DateTimeOffset Truncated(DateTimeOffset at) => new(at.Ticks - at.Ticks % TimeSpan.TicksPerSecond, TimeSpan.Zero);
}
