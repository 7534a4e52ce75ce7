using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace EvGateway.Tests.Manufacturers.Psa.Pairing;

/// <summary>
/// Plays a recorded inWebo transcript back over real HTTP on loopback: each GET gets the next recorded answer and is
/// kept exactly as it arrived (raw query string, headers), so a test can compare it with what the vectors show.
/// </summary>
internal sealed class InWeboReplayServer : IAsyncDisposable
{
    private readonly ConcurrentQueue<string> answers;
    private readonly ConcurrentQueue<ReceivedRequest> received = new();
    private LoopbackServer server = null!;

    private InWeboReplayServer(ConcurrentQueue<string> answers) => this.answers = answers;

    public Uri OtpUrl { get; private set; } = null!;

    public IReadOnlyList<ReceivedRequest> Requests => [.. received];

    /// <summary>The raw query strings received, without the '?'.</summary>
    public IReadOnlyList<string> QueryStrings => [.. received.Select(r => r.QueryString)];

    public static async Task<InWeboReplayServer> StartAsync(IEnumerable<string> answers)
    {
        var replay = new InWeboReplayServer(new ConcurrentQueue<string>(answers));
        replay.server = await LoopbackServer.StartAsync(app => app.MapGet("/iwws/MAC", replay.Answer));
        replay.OtpUrl = new Uri(replay.server.Url, "iwws/MAC");
        return replay;
    }

    public void Enqueue(IEnumerable<string> more)
    {
        foreach (var answer in more)
        {
            answers.Enqueue(answer);
        }
    }

    public ValueTask DisposeAsync() => server.DisposeAsync();

    private IResult Answer(HttpRequest request)
    {
        received.Enqueue(new ReceivedRequest(request.QueryString.Value![1..], request.Headers.UserAgent.ToString(),
            request.Headers.Connection.ToString()));
        return answers.TryDequeue(out var answer)
            ? Results.Content(answer, "text/xml; charset=utf-8")
            : Results.StatusCode(StatusCodes.Status500InternalServerError);
    }

    internal sealed record ReceivedRequest(string QueryString, string UserAgent, string Connection);
}
