/**
 * The node's local image store: OCI image layouts and {@code oci-archive} tarballs imported under
 * {@code DATA/images}, registry images copied in with skopeo, the built-in {@code busybox} image,
 * and unpacked root filesystems cached per manifest digest for fast container creation.
 */
package dev.hypha.runtime.image;
