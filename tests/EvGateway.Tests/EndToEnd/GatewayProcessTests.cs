using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;

namespace EvGateway.Tests.EndToEnd;

/// <summary>The built gateway as a user starts it: its own process, no configuration, a free port.</summary>
public class GatewayProcessTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task With_no_configuration_the_built_gateway_serves_the_demo_cars_within_seconds()
    {
        var port = FreePort();
        var output = new StringBuilder();
        using var gateway = StartGateway(port, output);
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(20) };
        try
        {
            JsonElement cars = default;
            var clock = Stopwatch.StartNew();
            while (clock.Elapsed < TimeSpan.FromSeconds(30) && !gateway.HasExited)
            {
                try
                {
                    cars = JsonDocument.Parse(await http.GetStringAsync("/get_vehicles", Ct)).RootElement;
                    break;
                }
                catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !Ct.IsCancellationRequested)
                {
                    await Task.Delay(100, Ct);
                }
            }

            Assert.True(cars.ValueKind == JsonValueKind.Array, $"no car list; the gateway wrote:\n{output}");
            Assert.True(cars.GetArrayLength() >= 3);
            var vin = cars[0].GetProperty("vin").GetString();
            var info = JsonDocument.Parse(await http.GetStringAsync($"/get_vehicleinfo/{vin}", Ct)).RootElement;
            Assert.Equal("Electric", info.GetProperty("energy")[0].GetProperty("type").GetString());
            Assert.Contains("Demo mode", output.ToString());
        }
        finally
        {
            gateway.Kill(entireProcessTree: true);
            await gateway.WaitForExitAsync(Ct);
        }
    }

    [Theory]
    [InlineData("Renault__Locale", "french", "Renault:Locale")]
    [InlineData("Gateway__AllowedNetworks__0", "300.1.1.1/8", "Gateway:AllowedNetworks")]
    [InlineData("Psa__Brand", "Fiat", "Psa:Brand")]
    [InlineData("Gateway__StatusMaxAgeSeconds", "-5", "Gateway:StatusMaxAgeSeconds")]
    [InlineData("Gateway__AllowedHosts__0", "https://gateway.example.org", "Gateway:AllowedHosts")]
    [InlineData("Gateway__CorsOrigins__0", "homeassistant:8123", "Gateway:CorsOrigins")]
    public async Task A_wrong_setting_stops_the_start_with_one_line_naming_the_key(string variable, string value, string key)
    {
        var output = new StringBuilder();
        using var gateway = StartGateway(FreePort(), output, new()
        {
            [variable] = value,
            ["Renault__Username"] = "owner@example.com",
            ["Renault__Password"] = "not-shown",
            ["Psa__RefreshToken"] = "not-shown-either",
            ["Psa__ClientId"] = "client",
            ["Psa__ClientSecret"] = "not-shown-secret",
            ["Psa__CustomerId"] = "AP-1234",
        });

        await gateway.WaitForExitAsync(Ct).WaitAsync(TimeSpan.FromSeconds(60), Ct);

        Assert.Equal(2, gateway.ExitCode);
        var lines = output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var problems = lines.Where(l => l.StartsWith("EvGateway cannot start:", StringComparison.Ordinal)).ToArray();
        Assert.Single(problems, p => p.Contains(key, StringComparison.Ordinal));
        Assert.Equal(problems.Distinct().Count(), problems.Length);
        Assert.DoesNotContain("not-shown", output.ToString());
        Assert.DoesNotContain("   at ", output.ToString());
    }

    internal static Process StartGateway(int port, StringBuilder output, Dictionary<string, string>? environment = null)
    {
        var dll = GatewayDll();
        var start = new ProcessStartInfo("dotnet")
        {
            ArgumentList = { dll, "--urls", $"http://127.0.0.1:{port}" },
            WorkingDirectory = Path.GetDirectoryName(dll)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var key in start.Environment.Keys.Where(k => k.StartsWith("Renault__") || k.StartsWith("Psa__") || k.StartsWith("Gateway__")).ToList())
        {
            start.Environment.Remove(key);
        }

        start.Environment["Gateway__DataDirectory"] = Directory.CreateTempSubdirectory("evgw-e2e-").FullName;
        foreach (var (key, value) in environment ?? [])
        {
            start.Environment[key] = value;
        }

        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
        process.ErrorDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    // The gateway project is built beside the tests (project reference) with the same configuration.
    internal static string GatewayDll()
    {
        var testDirectory = new DirectoryInfo(AppContext.BaseDirectory);
        var configuration = testDirectory.Parent!.Name;
        var root = testDirectory;
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "EvGateway.sln")))
        {
            root = root.Parent;
        }

        var dll = Path.Combine(root!.FullName, "src", "EvGateway", "bin", configuration, "net10.0", "EvGateway.dll");
        Assert.True(File.Exists(dll), $"the gateway is not built at {dll}");
        return dll;
    }

    internal static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
