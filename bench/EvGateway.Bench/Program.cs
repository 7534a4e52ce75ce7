// The gateway's cost, measured in one run against a bare Kestrel app on the same machine: cached status throughput
// of both surfaces as a ratio to the bare app answering the same JSON, p99 latency, RSS after load, and start-up.
//   dotnet run -c Release --project bench/EvGateway.Bench [-- --seconds 3 --rounds 7 --connections 32] [--hold]
// --hold keeps both apps running after the figures (their process ids and URLs printed) for a profiler, until Enter.
using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using EvGateway.Bench;
using EvGateway.Hosting;
using EvGateway.Simulator;

if (args.Contains(BareApp.Flag))
{
    BareApp.Run(args);
    return 0;
}

var seconds = Option("--seconds", 3);
var rounds = Option("--rounds", 7);
var connections = Option("--connections", 32);
var root = RepositoryRoot();
var work = Directory.CreateTempSubdirectory("evgw-bench-");
var started = new List<Process>();
try
{
    Console.WriteLine($"Machine: {Environment.ProcessorCount} cores, {Environment.OSVersion}, .NET {Environment.Version}; " +
                      $"{rounds} rounds of {seconds} s per app and route after 2 s of warm-up, {connections} connections, medians.");
    var gatewayDll = Publish(root, work.FullName);

    // The gateway as an owner runs it: a real account (here on the simulated clouds, in this process), not demo mode,
    // whose in-process simulator would be counted in the gateway's memory.
    await using var simulator = await CloudSimulator.StartAsync(new SimulatorOptions());
    var gatewayUrl = $"http://127.0.0.1:{FreePort()}";
    var settings = DemoMode.SimulatorSettings(simulator)
        .Where(s => !s.Key.StartsWith("Psa", StringComparison.Ordinal))
        .ToDictionary(s => s.Key.Replace(":", "__", StringComparison.Ordinal), s => s.Value);
    settings["Gateway__Urls"] = gatewayUrl;
    settings["Gateway__DataDirectory"] = Path.Combine(work.FullName, "data");
    var gateway = Start("dotnet", [gatewayDll], settings, Path.GetDirectoryName(gatewayDll)!);
    started.Add(gateway);
    var ready = await WaitUntilAnswersAsync(gateway, $"{gatewayUrl}/health/ready");

    using var http = new HttpClient { BaseAddress = new Uri(gatewayUrl) };
    const string vin = EvGateway.Simulator.Renault.RenaultCloud.DemoZoePhase2Vin;
    var legacyJson = await http.GetStringAsync($"/get_vehicleinfo/{vin}");
    var statusJson = await http.GetStringAsync($"/api/vehicles/{vin}/status");
    File.WriteAllText(Path.Combine(work.FullName, "legacy.json"), legacyJson);
    File.WriteAllText(Path.Combine(work.FullName, "status.json"), statusJson);

    var bareUrl = $"http://127.0.0.1:{FreePort()}";
    var bare = Start("dotnet", [typeof(BareApp).Assembly.Location, BareApp.Flag, "--urls", bareUrl], new Dictionary<string, string?>
    {
        ["BENCH_LEGACY_JSON"] = Path.Combine(work.FullName, "legacy.json"),
        ["BENCH_STATUS_JSON"] = Path.Combine(work.FullName, "status.json"),
        // The same garbage collector as the gateway's (workstation, not concurrent), so memory compares like with like.
        ["DOTNET_gcServer"] = "0",
        ["DOTNET_gcConcurrent"] = "0",
    }, work.FullName);
    started.Add(bare);
    var bareReady = await WaitUntilAnswersAsync(bare, $"{bareUrl}/health/live");

    // Rounds alternate the two apps, so a slow spell of the shared machine falls on both: each ratio is the median of
    // the rounds' own ratios (gateway against the bare app just before or after it, the order turning every round), and
    // each req/s figure the median of its rounds.
    var targets = new (string Name, string Url)[]
    {
        ("bare Kestrel, legacy JSON", $"{bareUrl}/get_vehicleinfo/{vin}"),
        ("gateway /get_vehicleinfo?from_cache=1", $"{gatewayUrl}/get_vehicleinfo/{vin}?from_cache=1"),
        ("bare Kestrel, status JSON", $"{bareUrl}/api/vehicles/{vin}/status"),
        ("gateway /api/vehicles/{vin}/status", $"{gatewayUrl}/api/vehicles/{vin}/status"),
    };
    var runs = targets.Select(_ => new List<Load.Result>()).ToArray();
    for (var round = 0; round < rounds; round++)
    {
        for (var pair = 0; pair < targets.Length; pair += 2)
        {
            foreach (var i in round % 2 == 0 ? [pair, pair + 1] : new[] { pair + 1, pair })
            {
                runs[i].Add(await Load.RunAsync(targets[i].Url, seconds, connections));
            }
        }
    }

    var rows = targets.Select((target, i) => (target.Name, Result: new Load.Result(
        Median(runs[i].Select(r => r.RequestsPerSecond)), Median(runs[i].Select(r => r.P99Milliseconds)), runs[i].Sum(r => r.Errors)))).ToList();
    var gatewayRss = RssMegabytes(gateway);
    var bareRss = RssMegabytes(bare);

    Console.WriteLine();
    Console.WriteLine($"{"",-40} {"req/s",10} {"p99 ms",8} {"errors",7}");
    foreach (var (name, result) in rows)
    {
        Console.WriteLine($"{name,-40} {result.RequestsPerSecond,10:F0} {result.P99Milliseconds,8:F2} {result.Errors,7}");
    }

    var legacyRatios = runs[1].Zip(runs[0], (gateway, bare) => gateway.RequestsPerSecond / bare.RequestsPerSecond).ToList();
    var apiRatios = runs[3].Zip(runs[2], (gateway, bare) => gateway.RequestsPerSecond / bare.RequestsPerSecond).ToList();
    var legacyRatio = Median(legacyRatios);
    var apiRatio = Median(apiRatios);
    Console.WriteLine($"ratios by round: legacy {string.Join(" ", legacyRatios.Select(r => r.ToString("F2", CultureInfo.InvariantCulture)))}, " +
                      $"REST {string.Join(" ", apiRatios.Select(r => r.ToString("F2", CultureInfo.InvariantCulture)))}");
    var rssRatio = gatewayRss / bareRss;
    var p99 = Math.Max(rows[1].Result.P99Milliseconds, rows[3].Result.P99Milliseconds);
    var errors = rows.Sum(r => r.Result.Errors);
    Console.WriteLine();
    Console.WriteLine($"RSS after load: gateway {gatewayRss:F0} MB, bare app {bareRss:F0} MB");
    Console.WriteLine($"Start-up to a 200 on /health/ready: gateway {ready.TotalSeconds:F2} s (bare app to /health/live: {bareReady.TotalSeconds:F2} s)");
    var goals = new (string What, bool Held)[]
    {
        ($"legacy surface {legacyRatio:F2}x the bare app (goal >= 0.9x)", legacyRatio >= 0.9),
        ($"REST surface {apiRatio:F2}x the bare app (goal >= 0.9x)", apiRatio >= 0.9),
        ($"RSS {rssRatio:F2}x the bare app's (goal <= 1.3x)", rssRatio <= 1.3),
        ($"ready in {ready.TotalSeconds:F2} s (goal < 1 s)", ready < TimeSpan.FromSeconds(1)),
        ($"no failed request ({errors})", errors == 0),
    };
    foreach (var (what, held) in goals)
    {
        Console.WriteLine($"{(held ? "met   " : "MISSED")} {what}");
    }

    if (args.Contains("--hold"))
    {
        Console.WriteLine($"Holding: gateway pid {gateway.Id} at {gatewayUrl}, bare app pid {bare.Id} at {bareUrl}, VIN {vin}. Enter ends.");
        Console.ReadLine();
    }

    Console.WriteLine($"bench: legacy {legacyRatio:F2}x, REST {apiRatio:F2}x, p99 {p99:F2} ms, RSS {gatewayRss:F0}/{bareRss:F0} MB = {rssRatio:F2}x, ready {ready.TotalSeconds:F2} s");
    return goals.All(g => g.Held) ? 0 : 1;
}
finally
{
    foreach (var process in started)
    {
        process.Kill(entireProcessTree: true);
        process.WaitForExit();
        process.Dispose();
    }

    work.Delete(recursive: true);
}

int Option(string name, int fallback)
{
    var at = Array.IndexOf(args, name);
    return at >= 0 && at + 1 < args.Length ? int.Parse(args[at + 1], CultureInfo.InvariantCulture) : fallback;
}

static string RepositoryRoot()
{
    var folder = new DirectoryInfo(AppContext.BaseDirectory);
    while (folder is not null && !File.Exists(Path.Combine(folder.FullName, "EvGateway.sln")))
    {
        folder = folder.Parent;
    }

    return folder?.FullName ?? throw new InvalidOperationException("Run the benchmark from the repository (EvGateway.sln not found above it).");
}

// The gateway as it ships: a Release publish (ReadyToRun), not the build the benchmark itself runs from.
static string Publish(string root, string work)
{
    var output = Path.Combine(work, "gateway");
    Console.WriteLine("Publishing the gateway (Release) ...");
    using var publish = Process.Start(new ProcessStartInfo("dotnet", ["publish", Path.Combine(root, "src", "EvGateway"), "-c", "Release", "-o", output])
    {
        RedirectStandardOutput = true,
        RedirectStandardError = true,
    })!;
    var said = publish.StandardOutput.ReadToEndAsync();
    publish.WaitForExit();
    if (publish.ExitCode != 0)
    {
        throw new InvalidOperationException($"dotnet publish failed:\n{said.Result}");
    }

    return Path.Combine(output, "EvGateway.dll");
}

static Process Start(string file, string[] arguments, IDictionary<string, string?> environment, string directory)
{
    var start = new ProcessStartInfo(file, arguments)
    {
        WorkingDirectory = directory,
        RedirectStandardOutput = true,
        RedirectStandardError = true,
    };
    foreach (var key in start.Environment.Keys.Where(k => k.StartsWith("Renault__", StringComparison.Ordinal) || k.StartsWith("Psa__", StringComparison.Ordinal)
                                                              || k.StartsWith("Gateway__", StringComparison.Ordinal)).ToList())
    {
        start.Environment.Remove(key);
    }

    foreach (var (key, value) in environment)
    {
        start.Environment[key] = value;
    }

    var process = Process.Start(start)!;
    process.OutputDataReceived += (_, _) => { };
    process.ErrorDataReceived += (_, _) => { };
    process.BeginOutputReadLine();
    process.BeginErrorReadLine();
    return process;
}

static async Task<TimeSpan> WaitUntilAnswersAsync(Process process, string url)
{
    using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
    var since = process.StartTime.ToUniversalTime();
    while (DateTime.UtcNow - since < TimeSpan.FromSeconds(60))
    {
        try
        {
            if ((await http.GetAsync(url)).IsSuccessStatusCode)
            {
                return DateTime.UtcNow - since;
            }
        }
        catch (Exception failure) when (failure is HttpRequestException or TaskCanceledException)
        {
            // Not listening yet.
        }

        await Task.Delay(10);
    }

    throw new InvalidOperationException($"{url} did not answer within 60 s.");
}

static double Median(IEnumerable<double> values)
{
    var sorted = values.Order().ToArray();
    return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
}

static double RssMegabytes(Process process) =>
    double.Parse(File.ReadAllLines($"/proc/{process.Id}/status").First(l => l.StartsWith("VmRSS:", StringComparison.Ordinal)).Split(' ', StringSplitOptions.RemoveEmptyEntries)[1],
        CultureInfo.InvariantCulture) / 1024;

static int FreePort()
{
    using var listener = new TcpListener(System.Net.IPAddress.Loopback, 0);
    listener.Start();
    return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
}
