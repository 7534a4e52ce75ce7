using System.Net.Http.Headers;
using System.Text;

namespace EvGateway.Tests.HomeAutomation;

/// <summary>A client of a text/event-stream response: reads events (and, when asked, comment lines) as they come.</summary>
public sealed class EventStream : IAsyncDisposable
{
    private readonly HttpResponseMessage response;
    private readonly StreamReader reader;

    private EventStream(HttpResponseMessage response, Stream body)
    {
        this.response = response;
        reader = new StreamReader(body, Encoding.UTF8);
    }

    public static async Task<EventStream> OpenAsync(HttpClient client, string path, CancellationToken cancellationToken)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
        var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        response.EnsureSuccessStatusCode();
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        return new EventStream(response, await response.Content.ReadAsStreamAsync(cancellationToken));
    }

    /// <summary>The next event, skipping comments; fails the test when none comes within <paramref name="within"/>.</summary>
    public async Task<(string Name, string Data)> NextEventAsync(TimeSpan within, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(within);
        string? name = null;
        var data = new StringBuilder();
        while (true)
        {
            var line = await reader.ReadLineAsync(deadline.Token) ?? throw new EndOfStreamException("The event stream ended.");
            if (line.Length == 0)
            {
                if (name is not null)
                {
                    return (name, data.ToString());
                }

                continue;
            }

            if (line.StartsWith("event: ", StringComparison.Ordinal))
            {
                name = line["event: ".Length..];
            }
            else if (line.StartsWith("data: ", StringComparison.Ordinal))
            {
                data.Append(line["data: ".Length..]);
            }
        }
    }

    /// <summary>The next comment line (it starts with a colon), skipping the events sent before it.</summary>
    public async Task<string> NextCommentAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            var line = await NextLineAsync(cancellationToken);
            if (line.StartsWith(':'))
            {
                return line;
            }
        }
    }

    /// <summary>The next line as it was sent (a comment starts with a colon).</summary>
    public async Task<string> NextLineAsync(CancellationToken cancellationToken) =>
        await reader.ReadLineAsync(cancellationToken) ?? throw new EndOfStreamException("The event stream ended.");

    public ValueTask DisposeAsync()
    {
        reader.Dispose();
        response.Dispose();
        return ValueTask.CompletedTask;
    }
}
