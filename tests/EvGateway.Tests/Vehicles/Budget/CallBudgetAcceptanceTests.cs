using System.Net;
using System.Net.Http.Json;
using System.Threading.Channels;
using EvGateway.Charging.Control;
using EvGateway.Simulator;
using EvGateway.Simulator.Renault;
using EvGateway.Tests.TestSupport;
using EvGateway.Vehicles.Budget;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Time.Testing;

namespace EvGateway.Tests.Vehicles.Budget;

/// <summary>
/// Issue 14's acceptance: a simulated hour of aggressive home-automation polling against one Renault account through
/// the real adapters and the simulated cloud on loopback, with charge control running and a command in the middle.
/// </summary>
public sealed class CallBudgetAcceptanceTests
{
    private const string Vin = RenaultCloud.DemoZoePhase2Vin;
    private const int Clients = 10;
    private const int Threshold = 52;
    private static readonly TimeSpan PollEvery = TimeSpan.FromSeconds(5);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Ten_pollers_with_maxAge_0_for_an_hour_stay_within_the_budget_while_charge_control_stops_on_time_and_a_command_goes_at_once()
    {
        var time = new FakeTimeProvider(DateTimeOffset.Parse("2026-11-25T18:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
        // Only the polled car is refreshed on its own: the account's other demo cars would share the budget.
        await using var app = await GatewayApp.StartAsync(new Dictionary<string, string?>
        {
            ["Gateway:RefreshPolicy"] = "never",
            [$"Gateway:Cars:{Vin}:RefreshPolicy"] = "connected",
        }, new SimulatorOptions { TimeProvider = time, RenaultCallsPerHour = 60 }, Makers.Renault);
        var car = app.Simulator.Renault.Car(Vin);
        var controller = app.Services.GetServices<IHostedService>().OfType<ChargeController>().Single();
        var passes = Channel.CreateUnbounded<DateTimeOffset>();
        controller.PassCompleted += wait => passes.Writer.TryWrite(time.GetUtcNow() + wait);
        var url = $"/api/vehicles/{Vin}/status?maxAge=0";
        Assert.Equal(HttpStatusCode.OK, (await app.Client.GetAsync(url, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await app.Client.PutAsJsonAsync($"/api/vehicles/{Vin}/charge-control",
            new { percentageThreshold = Threshold, stopAt = (string?)null }, Ct)).StatusCode);
        var nextPass = await NextPassAsync(passes);
        var start = time.GetUtcNow();
        var kamereonAtStart = app.Simulator.Renault.KamereonCalls();
        var answers = new Dictionary<HttpStatusCode, int>();
        var stale = 0;
        HttpResponseMessage? command = null;
        double? levelAtStop = null;
        var budget = app.Services.GetRequiredService<CallBudgets>().For("Renault");
        var usedWhenCommanded = 0;
        var commandedAt = TimeSpan.Zero;

        for (var elapsed = TimeSpan.Zero; elapsed < TimeSpan.FromHours(1); elapsed += PollEvery)
        {
            time.Advance(PollEvery);
            while (time.GetUtcNow() >= nextPass)
            {
                nextPass = await NextPassAsync(passes);
            }

            var reads = await Task.WhenAll(Enumerable.Range(0, Clients).Select(_ => app.Client.GetAsync(url, Ct)));
            foreach (var read in reads)
            {
                answers[read.StatusCode] = answers.GetValueOrDefault(read.StatusCode) + 1;
                if (read.IsSuccessStatusCode && (await read.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>(Ct)).GetProperty("stale").GetBoolean())
                {
                    stale++;
                }
            }

            if (levelAtStop is null && !car.Read().Charging)
            {
                levelAtStop = car.Read().Level;
            }

            if (command is null && elapsed >= TimeSpan.FromMinutes(30))
            {
                commandedAt = elapsed;
                usedWhenCommanded = budget.Snapshot().Used;
                var climateCallsBefore = app.Simulator.Renault.CallCount("hvac-start");
                command = await app.Client.PostAsync($"/api/vehicles/{Vin}/commands/climate-start", null, Ct);
                // At once: the cloud has it before the clock moves on.
                Assert.Equal(climateCallsBefore + 1, app.Simulator.Renault.CallCount("hvac-start"));
            }
        }

        var spent = app.Simulator.Renault.KamereonCalls() - kamereonAtStart;
        TestContext.Current.TestOutputHelper?.WriteLine(
            $"hour from {start:O}: {spent} Kamereon calls, answers {string.Join(", ", answers.Select(a => $"{(int)a.Key}×{a.Value}"))}, " +
            $"{stale} stale, budget used {usedWhenCommanded} when the command went at {commandedAt}, charge stopped at {levelAtStop:0.0} %");
        Assert.Equal(Clients * 720, answers.GetValueOrDefault(HttpStatusCode.OK));
        Assert.InRange(spent, 1, 60);
        Assert.NotNull(levelAtStop);
        Assert.InRange(levelAtStop.Value, Threshold, Threshold + 2.5);
        Assert.Equal(HttpStatusCode.Accepted, command!.StatusCode);
    }

    private static async Task<DateTimeOffset> NextPassAsync(Channel<DateTimeOffset> passes)
    {
        using var patience = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        patience.CancelAfter(TimeSpan.FromSeconds(10));
        return await passes.Reader.ReadAsync(patience.Token);
    }
}
