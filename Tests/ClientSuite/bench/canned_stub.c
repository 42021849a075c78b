// The client's ceiling for bench_sns.py, in C: answers every HTTP request on every connection with
// the same canned PublishResponse bytes as the Python stub in bench_sns.py (`serve_stub`), one write
// each, TCP_NODELAY, one blocking thread per connection. It does no work a real server does (no
// parse beyond Content-Length, no signature, no state), so it bounds what any server can reach with
// the same boto3 client on the same machine.
//
//   cc -O2 -o canned_stub canned_stub.c -lpthread && ./canned_stub 0     # prints "listening on PORT"
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <unistd.h>

static const char *body =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<PublishResponse xmlns=\"http://sns.amazonaws.com/doc/2010-03-31/\">"
    "<PublishResult><MessageId>00000000-0000-4000-8000-000000000000</MessageId></PublishResult>"
    "<ResponseMetadata><RequestId>00000000-0000-4000-8000-000000000001</RequestId></ResponseMetadata></PublishResponse>";
static char reply[1024];
static size_t replyLength;

/// Reads more bytes into `buffer`; 0 when the peer closed, the buffer is full or the read failed.
static size_t fill(int fd, char *buffer, size_t have, size_t capacity) {
    if (have == capacity) return 0;
    ssize_t n = read(fd, buffer + have, capacity - have);
    return n > 0 ? (size_t)n : 0;
}

static void *serve(void *argument) {
    int fd = (int)(long)argument, one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    static __thread char buffer[1 << 16];
    size_t have = 0;
    for (;;) {
        char *end;
        while (!(end = memmem(buffer, have, "\r\n\r\n", 4))) {
            size_t n = fill(fd, buffer, have, sizeof buffer);
            if (n == 0) goto done;
            have += n;
        }
        size_t head = (size_t)(end - buffer) + 4, length = 0;
        for (char *p = buffer; p < end; p++) {
            if ((p == buffer || p[-1] == '\n') && strncasecmp(p, "content-length:", 15) == 0) length = strtoul(p + 15, NULL, 10);
        }
        if (length > sizeof buffer - head) goto done;
        while (have < head + length) {
            size_t n = fill(fd, buffer, have, sizeof buffer);
            if (n == 0) goto done;
            have += n;
        }
        memmove(buffer, buffer + head + length, have - head - length);
        have -= head + length;
        if (write(fd, reply, replyLength) != (ssize_t)replyLength) goto done;
    }
done:
    close(fd);
    return NULL;
}

int main(int argc, char **argv) {
    replyLength = (size_t)snprintf(reply, sizeof reply,
        "HTTP/1.1 200 OK\r\nx-amzn-RequestId: 00000000-0000-4000-8000-000000000001\r\nContent-Type: text/xml\r\n"
        "Content-Length: %zu\r\n\r\n%s", strlen(body), body);
    int listener = socket(AF_INET, SOCK_STREAM, 0), one = 1;
    setsockopt(listener, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    struct sockaddr_in address = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK),
                                  .sin_port = htons((unsigned short)(argc > 1 ? atoi(argv[1]) : 0))};
    socklen_t size = sizeof address;
    if (bind(listener, (struct sockaddr *)&address, sizeof address) || listen(listener, 16)
        || getsockname(listener, (struct sockaddr *)&address, &size)) {
        perror("canned_stub");
        return 1;
    }
    printf("listening on %d\n", ntohs(address.sin_port));
    fflush(stdout);
    for (;;) {
        int fd = accept(listener, NULL, NULL);
        if (fd < 0) continue;
        pthread_t thread;
        if (pthread_create(&thread, NULL, serve, (void *)(long)fd) == 0) pthread_detach(thread);
        else close(fd);
    }
}
