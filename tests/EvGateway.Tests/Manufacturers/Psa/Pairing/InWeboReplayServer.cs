using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace EvGateway.Tests.Manufacturers.Psa.Pairing;

/// <summary>
/// Plays a recorded inWebo transcript back over real HTTP on loopback: each GET gets the next recorded answer and is
/// kept exactly as it arrived (raw query string, headers), so a test can compare it with what the vectors show.
/// </summary>
internal sealed class InWeboReplayServer : IAsyncDisposable
{
    private readonly WebApplication app;
    private readonly ConcurrentQueue<string> answers;
    private readonly ConcurrentQueue<ReceivedRequest> received = new();

    private InWeboReplayServer(WebApplication app, ConcurrentQueue<string> answers)
    {
        this.app = app;
        this.answers = answers;
    }

    public Uri OtpUrl { get; private set; } = null!;

    public IReadOnlyList<ReceivedRequest> Requests => [.. received];

    /// <summary>The raw query strings received, without the '?'.</summary>
    public IReadOnlyList<string> QueryStrings => [.. received.Select(r => r.QueryString)];

    public static async Task<InWeboReplayServer> StartAsync(IEnumerable<string> answers)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var server = new InWeboReplayServer(app, new ConcurrentQueue<string>(answers));
        app.MapGet("/iwws/MAC", (HttpRequest request) =>
        {
            server.received.Enqueue(new ReceivedRequest(request.QueryString.Value![1..], request.Headers.UserAgent.ToString(),
                request.Headers.Connection.ToString()));
            return server.answers.TryDequeue(out var answer)
                ? Results.Content(answer, "text/xml; charset=utf-8")
                : Results.StatusCode(StatusCodes.Status500InternalServerError);
        });
        await app.StartAsync(TestContext.Current.CancellationToken);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        server.OtpUrl = new Uri($"{address}/iwws/MAC");
        return server;
    }

    public void Enqueue(IEnumerable<string> more)
    {
        foreach (var answer in more)
        {
            answers.Enqueue(answer);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }

    internal sealed record ReceivedRequest(string QueryString, string UserAgent, string Connection);
}
