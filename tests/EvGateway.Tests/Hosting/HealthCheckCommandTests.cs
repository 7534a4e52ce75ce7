using System.Diagnostics;
using EvGateway.Hosting;
using EvGateway.Tests.HomeAutomation;
using EvGateway.Tests.TestSupport;

namespace EvGateway.Tests.Hosting;

/// <summary><c>EvGateway healthcheck</c> is the container's health check: one line, exit 0 or 1, well within 5 seconds.</summary>
public sealed class HealthCheckCommandTests
{
    [Fact]
    public async Task Against_a_running_gateway_it_prints_healthy_and_exits_0()
    {
        await using var app = await GatewayApp.StartAsync(overSockets: true);

        var (exitCode, line, took) = await HealthCheckAsync(app.BaseAddress.Port);

        Assert.Equal(0, exitCode);
        Assert.StartsWith($"healthy: http://127.0.0.1:{app.BaseAddress.Port}/health/live answered 200 in ", line, StringComparison.Ordinal);
        Assert.True(took < TimeSpan.FromSeconds(5), $"took {took}");
    }

    [Fact]
    public async Task With_nothing_listening_it_prints_unhealthy_and_exits_1_without_waiting_long()
    {
        var port = MqttProbe.FreePort();

        var (exitCode, line, took) = await HealthCheckAsync(port);

        Assert.Equal(1, exitCode);
        Assert.StartsWith($"unhealthy: http://127.0.0.1:{port}/health/live did not answer (", line, StringComparison.Ordinal);
        Assert.True(took < TimeSpan.FromSeconds(5), $"took {took}");
    }

    [Theory]
    [InlineData("http://0.0.0.0:5000", "http://127.0.0.1:5000/health/live")]
    [InlineData("http://*:8080", "http://127.0.0.1:8080/health/live")]
    [InlineData("http://+:5000;https://+:5001", "http://127.0.0.1:5000/health/live")]
    [InlineData("http://[::]:5000", "http://127.0.0.1:5000/health/live")]
    [InlineData("http://localhost:5000", "http://127.0.0.1:5000/health/live")]
    [InlineData("http://192.168.1.20:5000", "http://192.168.1.20:5000/health/live")]
    [InlineData("http://[::1]:5000", "http://[::1]:5000/health/live")]
    public void It_asks_the_port_of_the_first_url_on_the_loopback_address_unless_bound_to_one_address(string urls, string expected) =>
        Assert.Equal(new Uri(expected), HealthCheckCommand.LiveUrl(urls));

    // The built gateway's command, as a container runtime runs it, with the gateway's URL on every address.
    private static async Task<(int ExitCode, string Line, TimeSpan Took)> HealthCheckAsync(int port)
    {
        using var data = new TemporaryDirectory();
        var clock = Stopwatch.StartNew();
        var (exitCode, output) = await GatewayCommandLine.RunAsync(["healthcheck"], new Dictionary<string, string?>
        {
            ["Gateway:DataDirectory"] = data.Path,
            ["Gateway:Urls"] = $"http://0.0.0.0:{port}",
        });
        return (exitCode, Assert.Single(output.Split('\n', StringSplitOptions.RemoveEmptyEntries)), clock.Elapsed);
    }
}
