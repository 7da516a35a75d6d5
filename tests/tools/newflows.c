// SPDX-License-Identifier: GPL-2.0
/*
 * newflows: a quiet VM opening new flows. Sends COUNT 60-byte IPv4 frames
 * out of IFACE at RATE frames per second, each from the next source MAC
 * after BASE (02:00:5e:xx:xx:xx), so that a rule on dl_src makes each a
 * new megaflow. Paced by the clock, not by sleeping a fixed time, so a
 * slow start does not lower the count. Prints how many it sent. The
 * destination MAC is 02:00:5e:00:53:01, or 02:00:5e + DST.
 *
 *   newflows IFACE COUNT RATE BASE [DST]    (BASE, DST: 24-bit numbers)
 */
#include <arpa/inet.h>
#include <linux/if_packet.h>
#include <net/ethernet.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void frame(unsigned char *f, unsigned long mac, unsigned long dst)
{
	static const unsigned char ip[20] = {
		0x45, 0, 0, 46, 0, 0, 0, 0, 64, 253, 0, 0,
		192, 0, 2, 1, 192, 0, 2, 2,
	};

	memset(f, 0, 60);
	f[0] = 0x02; f[1] = 0x00; f[2] = 0x5e;
	f[3] = dst >> 16; f[4] = dst >> 8; f[5] = dst;
	f[6] = 0x02; f[7] = 0x00; f[8] = 0x5e;
	f[9] = mac >> 16; f[10] = mac >> 8; f[11] = mac;
	f[12] = 0x08; f[13] = 0x00;
	memcpy(f + 14, ip, sizeof(ip));
}

int main(int argc, char **argv)
{
	struct sockaddr_ll sll = { .sll_family = AF_PACKET };
	unsigned long count, rate, base, dst = 0x005301, i, sent = 0;
	unsigned char f[60];
	double t0, due;
	int fd;

	if (argc != 5 && argc != 6) {
		fprintf(stderr, "usage: newflows IFACE COUNT RATE BASE [DST]\n");
		return 2;
	}
	count = strtoul(argv[2], NULL, 0);
	rate = strtoul(argv[3], NULL, 0);
	base = strtoul(argv[4], NULL, 0);
	if (argc == 6)
		dst = strtoul(argv[5], NULL, 0);
	sll.sll_ifindex = if_nametoindex(argv[1]);
	if (!sll.sll_ifindex || !rate) {
		fprintf(stderr, "newflows: no interface '%s' or rate 0\n", argv[1]);
		return 2;
	}
	fd = socket(AF_PACKET, SOCK_RAW, 0);
	if (fd < 0) {
		perror("newflows: socket");
		return 1;
	}
	t0 = now();
	for (i = 0; i < count; i++) {
		due = t0 + (double)i / rate;
		while (now() < due)
			usleep(200);
		frame(f, base + i, dst);
		if (sendto(fd, f, sizeof(f), 0, (struct sockaddr *)&sll,
			   sizeof(sll)) == sizeof(f))
			sent++;
	}
	printf("%lu\n", sent);
	close(fd);
	return sent == count ? 0 : 1;
}
