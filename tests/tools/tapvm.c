// SPDX-License-Identifier: GPL-2.0
/*
 * tapvm: play the virtual machine behind a tap device.
 *
 * A hypervisor gives each VM a tap: the host side is a netdev (what the
 * switch attaches), the VM side is a file descriptor QEMU reads and writes
 * frames on. tapvm owns that file descriptor for an existing tap in the
 * current network namespace and gives the frames a "guest OS": it creates
 * a second tap inside a network namespace and copies every frame between
 * the two descriptors. The namespace's kernel stack then answers ARP, ping,
 * TCP and UDP exactly as a guest would, and the switch sees a real tap port
 * whose carrier follows this process (up while it runs, down when it dies).
 *
 *   tapvm [--daemon --pidfile FILE] [--mac MAC] TAP NETNS [IFNAME]
 *
 * TAP must already exist (ip tuntap add dev TAP mode tap), as libvirt
 * creates it before QEMU opens it. IFNAME (default eth0) is created in
 * /run/netns/NETNS and vanishes with this process. With --daemon the
 * command returns once both ends are set up, so callers need not poll.
 * When TAP is deleted, tapvm exits 0 with a message: the VM lost its NIC.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <net/if.h>
#include <net/if_arp.h>
#include <linux/if_tun.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#define FRAME_MAX 65536

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

static void usage(FILE *f)
{
	fprintf(f, "usage: tapvm [--daemon --pidfile FILE] [--mac MAC] TAP NETNS [IFNAME]\n"
		   "  TAP     an existing tap device in this namespace (the switch port)\n"
		   "  NETNS   a namespace in /run/netns that plays the guest\n"
		   "  IFNAME  the guest's NIC, created in NETNS (default eth0)\n");
}

/* Opens the tap named @name; with @must_exist it refuses to create one. */
static int tap_open(const char *name, int must_exist)
{
	struct ifreq ifr;
	int fd;

	if (strlen(name) >= IFNAMSIZ) {
		fprintf(stderr, "tapvm: interface name '%s' too long\n", name);
		return -1;
	}
	if (must_exist && !if_nametoindex(name)) {
		fprintf(stderr, "tapvm: tap '%s' does not exist (create it with: ip tuntap add dev %s mode tap)\n",
			name, name);
		return -1;
	}
	fd = open("/dev/net/tun", O_RDWR | O_CLOEXEC);
	if (fd < 0) {
		fprintf(stderr, "tapvm: /dev/net/tun: %s\n", strerror(errno));
		return -1;
	}
	memset(&ifr, 0, sizeof(ifr));
	ifr.ifr_flags = IFF_TAP | IFF_NO_PI;
	strcpy(ifr.ifr_name, name);
	if (ioctl(fd, TUNSETIFF, &ifr) < 0) {
		fprintf(stderr, "tapvm: attach to tap '%s': %s%s\n", name, strerror(errno),
			errno == EINVAL ? " (is it a tun, not a tap?)" : "");
		close(fd);
		return -1;
	}
	return fd;
}

static int parse_mac(const char *s, unsigned char mac[6])
{
	unsigned int b[6];
	char tail;
	int i;

	if (sscanf(s, "%x:%x:%x:%x:%x:%x%c", &b[0], &b[1], &b[2], &b[3], &b[4], &b[5],
		   &tail) != 6)
		return -1;
	for (i = 0; i < 6; i++) {
		if (b[i] > 0xff)
			return -1;
		mac[i] = b[i];
	}
	return 0;
}

static int set_mac(const char *ifname, const unsigned char mac[6])
{
	struct ifreq ifr;
	int s, err;

	s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (s < 0)
		return -1;
	memset(&ifr, 0, sizeof(ifr));
	strcpy(ifr.ifr_name, ifname);
	ifr.ifr_hwaddr.sa_family = ARPHRD_ETHER;
	memcpy(ifr.ifr_hwaddr.sa_data, mac, 6);
	err = ioctl(s, SIOCSIFHWADDR, &ifr);
	if (err < 0)
		fprintf(stderr, "tapvm: set MAC of %s: %s\n", ifname, strerror(errno));
	close(s);
	return err;
}

static int enter_netns(const char *ns)
{
	char path[256];
	int fd;

	if (strchr(ns, '/')) {
		snprintf(path, sizeof(path), "%s", ns);
	} else {
		snprintf(path, sizeof(path), "/run/netns/%s", ns);
	}
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		fprintf(stderr, "tapvm: network namespace '%s' (%s): %s\n", ns, path,
			strerror(errno));
		return -1;
	}
	if (setns(fd, CLONE_NEWNET) < 0) {
		fprintf(stderr, "tapvm: enter namespace '%s': %s\n", ns, strerror(errno));
		close(fd);
		return -1;
	}
	close(fd);
	return 0;
}

/*
 * Moves one frame from @from to @to. Returns 0, or -1 when @from is gone
 * (its device was deleted). A frame the other side cannot take (device
 * down, no buffer) is dropped, as a NIC would.
 */
static int shuttle(int from, int to, unsigned char *buf)
{
	ssize_t n = read(from, buf, FRAME_MAX);

	if (n < 0) {
		if (errno == EAGAIN || errno == EINTR)
			return 0;
		return -1;
	}
	if (n == 0)
		return -1;
	if (write(to, buf, n) < 0 && errno != EIO && errno != EAGAIN &&
	    errno != ENOBUFS && errno != EINVAL)
		return -1;
	return 0;
}

static int run(int host_fd, int guest_fd, const char *tap)
{
	static unsigned char buf[FRAME_MAX];
	struct pollfd p[2] = {
		{ .fd = host_fd, .events = POLLIN },
		{ .fd = guest_fd, .events = POLLIN },
	};

	while (!stop) {
		if (poll(p, 2, -1) < 0) {
			if (errno == EINTR)
				continue;
			perror("tapvm: poll");
			return 1;
		}
		if (p[0].revents & (POLLERR | POLLHUP | POLLNVAL)) {
			fprintf(stderr, "tapvm: tap '%s' went away\n", tap);
			return 0;
		}
		if (p[0].revents & POLLIN && shuttle(host_fd, guest_fd, buf) < 0) {
			fprintf(stderr, "tapvm: tap '%s' went away\n", tap);
			return 0;
		}
		if (p[1].revents & POLLIN && shuttle(guest_fd, host_fd, buf) < 0) {
			fprintf(stderr, "tapvm: guest NIC went away\n");
			return 1;
		}
	}
	return 0;
}

static int daemonize(const char *pidfile)
{
	pid_t pid = fork();
	FILE *f;

	if (pid < 0) {
		perror("tapvm: fork");
		return -1;
	}
	if (pid > 0) {
		f = fopen(pidfile, "w");
		if (!f || fprintf(f, "%d\n", (int)pid) < 0 || fclose(f)) {
			fprintf(stderr, "tapvm: pidfile %s: %s\n", pidfile, strerror(errno));
			kill(pid, SIGTERM);
			_exit(1);
		}
		_exit(0);
	}
	setsid();
	return 0;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "daemon", no_argument, NULL, 'd' },
		{ "pidfile", required_argument, NULL, 'p' },
		{ "mac", required_argument, NULL, 'm' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 }
	};
	const char *pidfile = NULL, *tap, *ns, *ifname = "eth0";
	unsigned char mac[6];
	int have_mac = 0, daemon = 0, host_fd, guest_fd, c;
	struct sigaction sa = { .sa_handler = on_signal };

	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'd':
			daemon = 1;
			break;
		case 'p':
			pidfile = optarg;
			break;
		case 'm':
			if (parse_mac(optarg, mac) < 0) {
				fprintf(stderr, "tapvm: invalid MAC address '%s'\n", optarg);
				return 1;
			}
			have_mac = 1;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 1;
		}
	}
	if (argc - optind < 2 || argc - optind > 3) {
		usage(stderr);
		return 1;
	}
	if (daemon != !!pidfile) {
		fprintf(stderr, "tapvm: --daemon and --pidfile go together\n");
		return 1;
	}
	tap = argv[optind];
	ns = argv[optind + 1];
	if (argc - optind == 3)
		ifname = argv[optind + 2];

	host_fd = tap_open(tap, 1);
	if (host_fd < 0)
		return 1;
	if (enter_netns(ns) < 0)
		goto err_close_host;
	if (if_nametoindex(ifname)) {
		fprintf(stderr, "tapvm: '%s' already exists in namespace '%s'\n", ifname, ns);
		goto err_close_host;
	}
	guest_fd = tap_open(ifname, 0);
	if (guest_fd < 0)
		goto err_close_host;
	if (have_mac && set_mac(ifname, mac) < 0)
		goto err_close_guest;

	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	if (daemon && daemonize(pidfile) < 0)
		goto err_close_guest;
	return run(host_fd, guest_fd, tap);

err_close_guest:
	close(guest_fd);
err_close_host:
	close(host_fd);
	return 1;
}
