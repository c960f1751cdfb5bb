/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _SYNFW_VERSION_H
#define _SYNFW_VERSION_H

#define SYNFW_VERSION "0.1.0"

#endif /* _SYNFW_VERSION_H */
