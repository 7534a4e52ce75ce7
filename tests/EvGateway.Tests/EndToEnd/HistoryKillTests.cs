using System.Diagnostics;
using System.Text;
using System.Text.Json;
using EvGateway.History;
using EvGateway.Tests.TestSupport;

namespace EvGateway.Tests.EndToEnd;

/// <summary>The built gateway killed with SIGKILL while it records history, and started again on the same data folder.</summary>
public sealed class HistoryKillTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task History_committed_before_a_kill_9_mid_write_is_all_there_after_a_restart_and_the_file_opens()
    {
        using var data = new TemporaryDirectory();
        var settings = new Dictionary<string, string> { ["Gateway__DataDirectory"] = data.Path };
        var firstOutput = new StringBuilder();
        var port = GatewayProcessTests.FreePort();
        using var first = GatewayProcessTests.StartGateway(port, firstOutput, settings);
        Dictionary<string, HashSet<DateTimeOffset>> committed;
        try
        {
            using var http = Client(port);
            var vins = await WaitForCarsAsync(http, first, firstOutput);
            await ReadStatusesAsync(http, vins, TimeSpan.FromSeconds(3), Ct);
            committed = await RecordedAsync(http, vins);
            Assert.True(committed.Values.Sum(c => c.Count) > 0, $"nothing was recorded; the gateway wrote:\n{firstOutput}");

            // Keep the writer busy and kill the process under it: no stop, no checkpoint, no closing of the file.
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(Ct);
            var busy = ReadStatusesAsync(http, vins, TimeSpan.FromSeconds(30), stop.Token);
            await Task.Delay(400, Ct);
            first.Kill();
            await first.WaitForExitAsync(Ct);
            await stop.CancelAsync();
            await busy;
        }
        finally
        {
            if (!first.HasExited)
            {
                first.Kill(entireProcessTree: true);
            }
        }

        Assert.True(File.Exists(Path.Combine(data.Path, HistoryDatabase.FileName + "-wal")), "the kill left no write-ahead log to recover");
        var secondOutput = new StringBuilder();
        var secondPort = GatewayProcessTests.FreePort();
        using var second = GatewayProcessTests.StartGateway(secondPort, secondOutput, settings);
        try
        {
            using var http = Client(secondPort);
            await WaitForCarsAsync(http, second, secondOutput);
            var after = await RecordedAsync(http, [.. committed.Keys]);

            TestContext.Current.TestOutputHelper?.WriteLine(
                $"{committed.Values.Sum(c => c.Count)} positions committed before the kill, {after.Values.Sum(c => c.Count)} after the restart");
            foreach (var (vin, times) in committed)
            {
                Assert.Superset(times, after[vin]);
            }

            Assert.Empty(Directory.GetFiles(data.Path, HistoryDatabase.FileName + ".corrupt-*"));
            Assert.DoesNotContain("unreadable", secondOutput.ToString(), StringComparison.Ordinal);
        }
        finally
        {
            second.Kill(entireProcessTree: true);
            await second.WaitForExitAsync(Ct);
        }
    }

    private static HttpClient Client(int port) => new() { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(20) };

    private static async Task<string[]> WaitForCarsAsync(HttpClient http, Process gateway, StringBuilder output)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(60) && !gateway.HasExited)
        {
            try
            {
                var cars = JsonDocument.Parse(await http.GetStringAsync("/api/vehicles", Ct)).RootElement;
                if (cars.GetArrayLength() > 0)
                {
                    return [.. cars.EnumerateArray().Select(c => c.GetProperty("vin").GetString()!)];
                }
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !Ct.IsCancellationRequested)
            {
                await Task.Delay(100, Ct);
            }
        }

        Assert.Fail($"the gateway listed no car; it wrote:\n{output}");
        return [];
    }

    // Fresh reads of every car, as fast as the gateway answers: each new car time is a sample to write.
    private static async Task ReadStatusesAsync(HttpClient http, string[] vins, TimeSpan duration, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < duration && !cancellationToken.IsCancellationRequested)
        {
            foreach (var vin in vins)
            {
                try
                {
                    using var _ = await http.GetAsync($"/api/vehicles/{vin}/status?maxAge=0", cancellationToken);
                }
                catch (Exception e) when (e is HttpRequestException or OperationCanceledException)
                {
                    // The process is gone, or the test stopped reading.
                    return;
                }
            }
        }
    }

    private static async Task<Dictionary<string, HashSet<DateTimeOffset>>> RecordedAsync(HttpClient http, string[] vins)
    {
        var recorded = new Dictionary<string, HashSet<DateTimeOffset>>();
        foreach (var vin in vins)
        {
            var positions = JsonDocument.Parse(await http.GetStringAsync($"/api/vehicles/{vin}/positions", Ct)).RootElement;
            recorded[vin] = [.. positions.EnumerateArray().Select(p => p.GetProperty("at").GetDateTimeOffset())];
        }

        return recorded;
    }
}
