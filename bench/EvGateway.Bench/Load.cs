using System.Diagnostics;

namespace EvGateway.Bench;

/// <summary>
/// A closed-loop HTTP load: a fixed number of connections, each sending its next GET when the last answer is read,
/// for a fixed time after a warm-up. The same generator loads the gateway and the bare app, so their ratio is fair
/// even though the generator shares the machine's cores with them.
/// </summary>
internal static class Load
{
    public sealed record Result(double RequestsPerSecond, double P99Milliseconds, int Errors);

    public static async Task<Result> RunAsync(string url, int seconds, int connections)
    {
        using var handler = new SocketsHttpHandler { MaxConnectionsPerServer = connections, UseProxy = false };
        using var client = new HttpClient(handler);
        await RunForAsync(client, url, TimeSpan.FromSeconds(2), connections);
        var (latencies, errors) = await RunForAsync(client, url, TimeSpan.FromSeconds(seconds), connections);
        latencies.Sort();
        var p99 = latencies.Count == 0 ? double.PositiveInfinity : latencies[(int)Math.Ceiling(latencies.Count * 0.99) - 1] * 1000.0 / Stopwatch.Frequency;
        return new Result(latencies.Count / (double)seconds, p99, errors);
    }

    private static async Task<(List<long> Latencies, int Errors)> RunForAsync(HttpClient client, string url, TimeSpan duration, int connections)
    {
        var end = Stopwatch.GetTimestamp() + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        var workers = Enumerable.Range(0, connections).Select(_ => Task.Run(async () =>
        {
            var latencies = new List<long>(100_000);
            var errors = 0;
            var buffer = new byte[16 * 1024];
            while (Stopwatch.GetTimestamp() < end)
            {
                var started = Stopwatch.GetTimestamp();
                using var response = await client.GetAsync(url, HttpCompletionOption.ResponseHeadersRead);
                await using (var body = await response.Content.ReadAsStreamAsync())
                {
                    while (await body.ReadAsync(buffer) > 0)
                    {
                    }
                }

                if (response.IsSuccessStatusCode)
                {
                    latencies.Add(Stopwatch.GetTimestamp() - started);
                }
                else
                {
                    errors++;
                }
            }

            return (latencies, errors);
        })).ToArray();
        var results = await Task.WhenAll(workers);
        return (results.SelectMany(r => r.latencies).ToList(), results.Sum(r => r.errors));
    }
}
